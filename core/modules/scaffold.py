"""``scaffold``: the skeleton of a new addon, ready to install.

    scaffold("export_docs", Path("custom_addons"))

creates a manifest, one model with its views, menu and action, an access
file and a test, named after the addon (model ``export_docs.record``).
"""

from __future__ import annotations

import re
from pathlib import Path

from core.exceptions import UserError

_FILES = {
    "__init__.py": "from . import models\n",
    "__manifest__.py": '''{{
    "name": "{title}",
    "version": "1.0",
    "summary": "{title}",
    "category": "Uncategorized",
    "license": "LGPL-3",
    "depends": ["base"],
    "data": [
        "security/ir.model.access.csv",
        "views/{name}_record_views.xml",
    ],
    "application": True,
}}
''',
    "models/__init__.py": "from . import {name}_record\n",
    "models/{name}_record.py": '''from core import api, fields, models
from core.exceptions import ValidationError


class {cls}Record(models.Model):
    _name = "{name}.record"
    _description = "{title} Record"
    _order = "sequence, name"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text()
    amount = fields.Float()

    @api.constrains("amount")
    def _check_amount(self):
        for record in self:
            if record.amount < 0:
                raise ValidationError("The amount cannot be negative.")
''',
    "views/{name}_record_views.xml": '''<?xml version="1.0" encoding="utf-8"?>
<troika>
    <record id="{name}_record_view_list" model="ir.ui.view">
        <field name="name">{name}.record.list</field>
        <field name="model">{name}.record</field>
        <field name="arch" type="xml">
            <list>
                <field name="sequence" widget="handle"/>
                <field name="name"/>
                <field name="amount" sum="Total"/>
            </list>
        </field>
    </record>
    <record id="{name}_record_view_form" model="ir.ui.view">
        <field name="name">{name}.record.form</field>
        <field name="model">{name}.record</field>
        <field name="arch" type="xml">
            <form>
                <sheet>
                    <group>
                        <field name="name"/>
                        <field name="amount"/>
                        <field name="description"/>
                    </group>
                </sheet>
            </form>
        </field>
    </record>
    <record id="{name}_record_action" model="ir.actions.act_window">
        <field name="name">{title}</field>
        <field name="res_model">{name}.record</field>
        <field name="view_mode">list,form</field>
    </record>
    <menuitem id="menu_{name}_root" name="{title}" sequence="100"/>
    <menuitem id="menu_{name}_record" parent="menu_{name}_root" action="{name}_record_action"/>
</troika>
''',
    "security/ir.model.access.csv":
        "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
        "access_{name}_record_user,{name}.record user,model_{name}_record,base.group_user,"
        "1,1,1,1\n",
    "tests/__init__.py": "",
    "tests/test_{name}_record.py": '''"""Run with: python -m pytest path/to/{name}/tests"""

import pytest

from core.exceptions import ValidationError


def test_negative_amount_refused(addon_env):
    env = addon_env("{name}")
    with pytest.raises(ValidationError):
        env["{name}.record"].create({{"name": "Wrong", "amount": -1}})
''',
}


def scaffold(name: str, directory: Path) -> Path:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise UserError(f"Invalid addon name {name!r}: use lowercase letters, digits and "
                        "underscores, starting with a letter")
    target = directory / name
    if target.exists():
        raise UserError(f"{target} already exists")
    title = name.replace("_", " ").title()
    cls = "".join(part.title() for part in name.split("_"))
    for relative, template in _FILES.items():
        path = target / relative.format(name=name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(name=name, title=title, cls=cls), encoding="utf-8")
    return target
