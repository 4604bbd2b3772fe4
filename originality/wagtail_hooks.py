from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .forms import ACCEPT_ACTION, WITHDRAW_ACTION


@hooks.register("register_log_actions")
def register_acceptance_actions(actions):
    """A coach's acceptances of an overlap and their withdrawals, in the essay's history (the other
    essay by its id: its title may be one the reader of the history cannot read)."""

    @actions.register_action(ACCEPT_ACTION)
    class Accepted(LogFormatter):
        label = _("Mark an overlap acceptable")

        def format_message(self, log_entry):
            return _("The overlap with essay %(id)s was marked acceptable.") % {
                "id": (log_entry.data or {}).get("other")
            }

    @actions.register_action(WITHDRAW_ACTION)
    class Withdrawn(LogFormatter):
        label = _("Withdraw an overlap's acceptance")

        def format_message(self, log_entry):
            return _("The acceptance of the overlap with essay %(id)s was withdrawn.") % {
                "id": (log_entry.data or {}).get("other")
            }
