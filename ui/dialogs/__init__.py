"""Dialogs: complaint intake, the complaint's workflow steps, 工作传签单 and 工作安排通知单."""
