"""Forms of the sign-off: the chain of approvers, a decision, the memo."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import people
from ..models import Memo
from ..thai_fields import ThaiDateField
from .fields import ModelChoicesField, RevisionMixin, ThaiTextLimits

__all__ = ["ChainFormSet", "ChainRowForm", "DecisionForm", "MemoForm"]


class ChainRowForm(ThaiTextLimits, forms.Form):
    title = forms.CharField(label=_("ตำแหน่ง"), max_length=200)
    acting_for = forms.CharField(label=_("ปฏิบัติราชการแทน/รักษาราชการแทน"), max_length=200, required=False)
    approvers = ModelChoicesField(
        label=_("ผู้มีสิทธิ์พิจารณา"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, approvers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approvers"].queryset = approvers
        self.fields["approvers"].label_from_instance = people.label  # "นายสมชาย ใจดี (ปลัดเทศบาล)"


ChainFormSet = forms.formset_factory(ChainRowForm, extra=1, can_delete=True, can_order=True)


class DecisionForm(ThaiTextLimits, forms.Form):
    comment = forms.CharField(
        label=_("ความเห็น/ข้อเสนอแนะ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("ไม่บังคับเมื่อเห็นชอบ แต่ต้องระบุเมื่อส่งกลับให้แก้ไข"),
    )


class MemoForm(RevisionMixin, forms.ModelForm):
    date = ThaiDateField(label=_("วันที่"), required=False)

    class Meta:
        model = Memo
        fields = list(Memo.CONTENT_FIELDS)
        widgets = {
            "background": forms.Textarea(attrs={"rows": 4}),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
        }
