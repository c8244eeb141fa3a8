"""Which dialog each repair button opens. Imported when the button is pressed, so the tab
works (and is tested) without them; tests swap entries of `RepairsTab.dialog_factories`.

Each factory takes (tab, ticket) and returns a dialog whose exec() makes the service call
on accept (the dialogs are in ui/dialogs).
"""

from __future__ import annotations


def new_intake(tab, _ticket):
    from ui.dialogs.repair_intake import RepairIntakeDialog

    return RepairIntakeDialog(tab.repairs, tab.repair_reference, tab.reference, None, tab)


def correct_intake(tab, ticket):
    from ui.dialogs.repair_intake import RepairIntakeDialog

    return RepairIntakeDialog(tab.repairs, tab.repair_reference, tab.reference, ticket, tab)


def dispatch(tab, ticket):
    from ui.dialogs.repair_steps import DispatchDialog

    return DispatchDialog(tab.repairs, tab.reference, ticket, tab)


def not_home(tab, ticket):
    from ui.dialogs.repair_steps import NotHomeDialog

    return NotHomeDialog(tab.repairs, ticket, tab)


def arrive(tab, ticket):
    from ui.dialogs.repair_steps import ArriveDialog

    return ArriveDialog(tab.repairs, ticket, tab)


def complete(tab, ticket):
    from ui.dialogs.repair_complete import CompleteDialog

    return CompleteDialog(tab.repairs, tab.repair_reference, ticket, tab)


def accept(tab, ticket):
    from ui.dialogs.repair_steps import AcceptDialog

    return AcceptDialog(tab.repairs, ticket, tab)


def return_visit(tab, ticket):
    from ui.dialogs.repair_steps import RepairVisitDialog

    return RepairVisitDialog(tab.repairs, tab.reference, ticket, tab)


def void(tab, ticket):
    from ui.dialogs.void_record import VoidRecordDialog, ticket_lines

    return VoidRecordDialog(
        tab.repairs.void,
        ticket,
        ticket_lines(ticket),
        tab,
        kind=tab.tr("维修单"),
        now=tab.repairs.now,
    )


DIALOG_FACTORIES = {
    "new": new_intake,
    "intake": correct_intake,
    "dispatch": dispatch,
    "not_home": not_home,
    "arrive": arrive,
    "complete": complete,
    "accept": accept,
    "visit": return_visit,
    "void": void,
}
