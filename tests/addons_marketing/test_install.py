"""crm_marketing installs on both backends and brings its user group."""


def test_installs_with_its_group(env):
    module = env["ir.module.module"].search([("name", "=", "crm_marketing")])
    assert module.state == "installed"
    group = env.ref("crm_marketing.group_mass_mailing_user")
    assert env.ref("base.user_admin") in group.users
