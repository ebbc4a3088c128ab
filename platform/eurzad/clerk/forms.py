"""The forms of the case page: a workflow step, assignment by the head, a clerk taking a case up. Each
carries the version of the case the clerk saw, so that an action from a stale page is refused."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import TextInput


class _CaseForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST before any view runs

    version = HiddenField()


class DayField(DateField):
    """A day typed as 31.12.2026 (a text box: a browser's date picker orders day and month as the browser's
    language does, and shows this format wrongly), with the office's own words when it is none."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a real date, like 31.12.2026")) from None


class StepForm(_CaseForm):
    """A step of the workflow. The page shows only what the step takes: a request to the applicant also
    by when and which answers to correct; a step with documents the files and how they go."""

    comment = TextAreaField(_l("Comment"), [Length(max=5000, message=_l("Write at most 5000 characters"))])
    due = DayField(_l("The applicant answers by"), [Optional()], format=["%d.%m.%Y", "%Y-%m-%d"])
    questions = SelectMultipleField(_l("Answers the applicant may correct (optional)"), validate_choice=False)
    documents = MultipleFileField(_l("Documents (PDF)"))
    delivery = RadioField(_l("How the documents reach the applicant"), default="online", validate_choice=False,
                          choices=[SelectChoice("online", _l("Online: on the case page (delivered when the "
                                                             "applicant first opens it)")),
                                   SelectChoice("post", _l("By post (recorded here)")),
                                   SelectChoice("edoreczenia", _l("Through e-Doręczenia (recorded here)"))])


class AssignForm(_CaseForm):
    clerk = SelectField(_l("Clerk"), coerce=int, validate_choice=False)
    instruction = TextAreaField(_l("Instruction for the clerk"), [
        Length(max=2000, message=_l("Write at most 2000 characters"))])
    due = DayField(_l("Handle by (optional)"), [Optional()], format=["%d.%m.%Y", "%Y-%m-%d"])


class DelayForm(_CaseForm):
    reason = TextAreaField(_l("Why the case cannot be dealt with in time"), [
        Length(max=5000, message=_l("Write at most 5000 characters"))])
    due = DayField(_l("New date"), [Optional()], format=["%d.%m.%Y", "%Y-%m-%d"])


class TakeUpForm(_CaseForm):
    pass


class NoteForm(FlaskForm):
    class Meta:
        csrf = False

    text = TextAreaField(_l("Internal note"), [Length(max=5000, message=_l("Write at most 5000 characters"))])


class ForwardForm(_CaseForm):
    """Przekazanie wg właściwości: the department competent to deal with the case, and why."""

    department = SelectField(_l("Department"), validate_choice=False)
    reason = TextAreaField(_l("Why that department is competent"), [
        Length(max=5000, message=_l("Write at most 5000 characters"))])
