"""Declarative workflows: state machines loaded from XML, enforced by the kernel.

    <workflow id="expense_flow" model="oa.expense" state_field="state">
      <state name="draft" string="Draft" initial="1"/>
      <state name="approved" string="Approved" final="1"/>
      <transition from="draft" to="approved" trigger="action_approve"
                  groups="oa.group_manager" condition="[('amount', '&lt;=', 10000)]"/>
    </workflow>

``loader`` reads the element into ``ir.workflow`` records; ``engine``
runs transitions (``record.action_approve()`` or
``record.workflow_trigger("action_approve")``), refuses direct writes of
the state field and writes the audit trail; ``jobs`` runs scheduled jobs,
deferred jobs and time-based automated actions.
"""
