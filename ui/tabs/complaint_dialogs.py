"""Which dialog each workflow button opens. Imported when the button is pressed, so the tab
works (and is tested) without them; tests swap entries of `ComplaintsTab.dialog_factories`.

Each factory takes (tab, complaint) and returns a dialog whose exec() makes the service call
on accept (the dialogs are in ui/dialogs).
"""

from __future__ import annotations


def new_intake(tab, _complaint):
    from ui.dialogs.complaint_intake import ComplaintIntakeDialog

    return ComplaintIntakeDialog(tab.complaints, tab.reference, None, tab)


def correct_intake(tab, complaint):
    from ui.dialogs.complaint_intake import ComplaintIntakeDialog

    return ComplaintIntakeDialog(tab.complaints, tab.reference, complaint, tab)


def judge(tab, complaint):
    from ui.dialogs.complaint_steps import JudgeDialog

    return JudgeDialog(tab.complaints, tab.reference, complaint, tab)


def follow_up(tab, complaint):
    from ui.dialogs.complaint_steps import FollowUpDialog

    return FollowUpDialog(tab.complaints, complaint, tab)


def handling(tab, complaint):
    from ui.dialogs.complaint_steps import HandlingDialog

    offer = None
    if tab.repairs is not None and complaint is not None and complaint.id is not None:
        offer = tab.repairs.handling_offer(complaint.id)
    return HandlingDialog(tab.complaints, tab.reference, complaint, tab, repair_offer=offer)


def reply(tab, complaint):
    from ui.dialogs.complaint_steps import ReplyDialog

    return ReplyDialog(tab.complaints, complaint, tab)


def return_visit(tab, complaint):
    from ui.dialogs.complaint_steps import ReturnVisitDialog

    return ReturnVisitDialog(tab.complaints, tab.reference, complaint, tab)


def review(tab, complaint):
    from ui.dialogs.complaint_steps import ReviewDialog

    return ReviewDialog(tab.complaints, tab.reference, complaint, tab)


def escalate(tab, complaint):
    from ui.dialogs.transfer_sheet import RaiseTransferDialog

    return RaiseTransferDialog(tab.escalation, tab.reference, complaint, tab)


def void(tab, complaint):
    from ui.dialogs.void_record import VoidRecordDialog, complaint_lines

    return VoidRecordDialog(
        tab.complaints.void,
        complaint,
        complaint_lines(complaint),
        tab,
        kind=tab.tr("投诉"),
        now=tab.complaints.now,
    )


DIALOG_FACTORIES = {
    "new": new_intake,
    "intake": correct_intake,
    "judge": judge,
    "follow_up": follow_up,
    "handling": handling,
    "reply": reply,
    "visit": return_visit,
    "review": review,
    "escalate": escalate,
    "void": void,
}
