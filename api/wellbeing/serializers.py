from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.selectors import managed_projects_of, projects_acted_for_by
from api.wellbeing.models import (
    MOOD_MAX,
    MOOD_MIN,
    WORDS_MAX_LENGTH,
    Alert,
    Assignment,
    CheckIn,
    Instrument,
    MoodTag,
    QuestionnaireResponse,
    RiskPhrase,
)
from cases.models import YoungCarer
from core.fields import (
    PROJECT_MESSAGE,
    AwareDateTimeField,
    BoundedDateField,
    ScopedPrimaryKeyRelatedField,
    StrictIntegerField,
)


class WordsPrivacyMixin:
    """Drops ``words`` unless ``context["show_words"](case_id)`` says this reader may see them."""

    def to_representation(self, instance: CheckIn) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        show = self.context.get("show_words")  # type: ignore[attr-defined]
        if not (show and show(instance.case_id)):
            data.pop("words", None)
        return data


class CaseRefSerializer(serializers.ModelSerializer[YoungCarer]):
    reference = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = YoungCarer
        fields = ["id", "reference", "name"]

    def get_name(self, case: YoungCarer) -> str:
        return f"{case.preferred_name or case.first_name} {case.last_name}"


class MoodCheckInInputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(help_text="Made by the phone, so a retry after being offline is the same check-in.")
    mood = StrictIntegerField(min_value=MOOD_MIN, max_value=MOOD_MAX)
    tags = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, default=list, max_length=10
    )
    words = serializers.CharField(required=False, allow_blank=True, default="", max_length=WORDS_MAX_LENGTH)
    recorded_at = AwareDateTimeField()


class MoodCheckInSerializer(WordsPrivacyMixin, serializers.ModelSerializer[CheckIn]):
    words = serializers.CharField(required=False, help_text="Only for the young person, their key worker and managers.")

    class Meta:
        model = CheckIn
        fields = ["id", "case", "mood", "tags", "words", "recorded_at", "received_at"]


class CrisisLineSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    how = serializers.ChoiceField(choices=["call", "text"])
    number = serializers.CharField()
    when = serializers.CharField()


class SupportSerializer(serializers.Serializer[Any]):
    """What the young person sees straight after: crisis lines always, and whether their worker was told."""

    alert_raised = serializers.BooleanField()
    worker_told = serializers.BooleanField()
    message = serializers.CharField()
    crisis_lines = CrisisLineSerializer(many=True)


class MoodCheckInResultSerializer(serializers.Serializer[Any]):
    checkin = MoodCheckInSerializer()
    support = SupportSerializer()


class HelpInputSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False, help_text="Optional id from the phone so a retried tap is one request.")


class TrendSummarySerializer(serializers.Serializer[Any]):
    count = StrictIntegerField()
    average = serializers.FloatField(allow_null=True)
    lowest = StrictIntegerField(allow_null=True)
    highest = StrictIntegerField(allow_null=True)
    top_tags = serializers.ListField(child=serializers.CharField())


class DailyMoodSerializer(serializers.Serializer[Any]):
    date = BoundedDateField()
    count = StrictIntegerField()
    average = serializers.FloatField(allow_null=True)


class TrendsSerializer(serializers.Serializer[Any]):
    last_7_days = TrendSummarySerializer()
    last_30_days = TrendSummarySerializer()
    direction = serializers.ChoiceField(choices=["better", "worse", "steady", "unknown"])
    daily = DailyMoodSerializer(many=True)


class ReasonSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()


class ChangesSerializer(serializers.Serializer[Any]):
    new_checkins = StrictIntegerField(allow_null=True)
    new_alerts = StrictIntegerField(allow_null=True)
    status_was = serializers.CharField(allow_null=True)


class CaseloadRowSerializer(serializers.Serializer[Any]):
    case = CaseRefSerializer()
    status = serializers.ChoiceField(choices=["red", "amber", "green"])
    reasons = ReasonSerializer(many=True)
    last_checkin_at = AwareDateTimeField(allow_null=True)
    last_mood = StrictIntegerField(allow_null=True)
    average_7_days = serializers.FloatField(allow_null=True)
    average_30_days = serializers.FloatField(allow_null=True)
    open_alerts = StrictIntegerField()
    changes = ChangesSerializer()


class CaseloadSerializer(serializers.Serializer[Any]):
    last_viewed_at = AwareDateTimeField(allow_null=True, help_text="Your previous look; changes are since then.")
    results = CaseloadRowSerializer(many=True)


class MoodTagSerializer(serializers.ModelSerializer[MoodTag]):
    organisation = ScopedPrimaryKeyRelatedField(scope=projects_acted_for_by, message=PROJECT_MESSAGE, required=False)

    class Meta:
        model = MoodTag
        fields = ["id", "organisation", "code", "label", "is_active"]
        read_only_fields = ["id", "is_active"]  # a new tag is active; PATCH switches it off
        extra_kwargs = {"organisation": {"required": False}}
        validators: list[Any] = []  # uniqueness is the service's to check, with a clear message


class MoodTagUpdateSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(max_length=60, required=False)  # type: ignore[assignment]
    is_active = serializers.BooleanField(required=False)


class RiskPhraseSerializer(serializers.ModelSerializer[RiskPhrase]):
    organisation = ScopedPrimaryKeyRelatedField(
        scope=managed_projects_of, message="Choose a project you manage.", required=False
    )

    class Meta:
        model = RiskPhrase
        fields = ["id", "organisation", "phrase", "category", "is_active"]
        read_only_fields = ["id", "is_active"]
        extra_kwargs = {"organisation": {"required": False}}
        validators: list[Any] = []


class RiskPhraseUpdateSerializer(serializers.Serializer[Any]):
    is_active = serializers.BooleanField()


class AdoptDefaultsSerializer(serializers.Serializer[Any]):
    organisation = StrictIntegerField(required=False)


class AdoptedSerializer(serializers.Serializer[Any]):
    added = StrictIntegerField()


# --- Alerts ------------------------------------------------------------------------------------


class AlertMoodCheckInSerializer(WordsPrivacyMixin, serializers.ModelSerializer[CheckIn]):
    class Meta:
        model = CheckIn
        fields = ["id", "mood", "tags", "words", "recorded_at"]


class AlertSerializer(serializers.ModelSerializer[Alert]):
    case = CaseRefSerializer()
    checkin = AlertMoodCheckInSerializer(allow_null=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "case",
            "severity",
            "reason",
            "trigger",
            "status",
            "raised_at",
            "checkin",
            "response",
            "acknowledged_at",
            "acknowledged_by",
            "action",
            "action_note",
            "actioned_at",
            "actioned_by",
            "closed_at",
            "closed_by",
            "close_note",
            "escalation_level",
            "escalated_at",
            "next_escalation_at",
        ]


class AlertActionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=Alert.Action.choices)
    note = serializers.CharField(max_length=5000, help_text="What was done, in a sentence or two.")


class AlertCloseSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- Questionnaires ----------------------------------------------------------------------------


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    version = serializers.SerializerMethodField()
    definition = serializers.SerializerMethodField()

    class Meta:
        model = Instrument
        fields = ["id", "organisation", "code", "name", "licence_note", "version", "definition"]

    def _latest(self, instrument: Instrument) -> Any:
        return self.context.get("versions", {}).get(instrument.pk)

    def get_version(self, instrument: Instrument) -> int | None:
        latest = self._latest(instrument)
        return latest.number if latest else None

    def get_definition(self, instrument: Instrument) -> dict[str, Any] | None:
        latest = self._latest(instrument)
        return latest.definition if latest else None


class InstrumentImportSerializer(serializers.Serializer[Any]):
    organisation = StrictIntegerField(required=False)
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=120)
    licence_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    definition = serializers.JSONField()


class InstrumentVersionSerializer(serializers.Serializer[Any]):
    instrument = StrictIntegerField(source="instrument_id")
    code = serializers.CharField(source="instrument.code")
    version = StrictIntegerField(source="number")
    items = serializers.SerializerMethodField()

    def get_items(self, version: Any) -> int:
        return len(version.definition["items"])


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    # Plain ids: the view resolves them with the actor's access, so a missing case and
    # another project's case get the same 404.
    case = StrictIntegerField(source="case_id")
    instrument = StrictIntegerField(source="instrument_id")
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "case",
            "instrument",
            "instrument_name",
            "reason",
            "status",
            "due_on",
            "repeat_every_months",
            "created_at",
            "completed_at",
        ]
        read_only_fields = ["id", "status", "created_at", "completed_at", "instrument_name"]
        extra_kwargs = {"due_on": {"required": False}, "repeat_every_months": {"min_value": 1, "max_value": 24}}
        validators: list[Any] = []


class ResponseInputSerializer(serializers.Serializer[Any]):
    assignment = StrictIntegerField()
    version = StrictIntegerField(required=False, help_text="The version number the items were shown from.")
    answers = serializers.DictField(child=serializers.JSONField(), help_text="item id -> option value")


class ResponseSerializer(serializers.ModelSerializer[QuestionnaireResponse]):
    instrument = serializers.CharField(source="version.instrument.code", read_only=True)
    version_number = StrictIntegerField(source="version.number", read_only=True)

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id",
            "case",
            "assignment",
            "instrument",
            "version_number",
            "answers",
            "complete",
            "raw_total",
            "score",
            "band",
            "subscales",
            "submitted_at",
        ]


class ResponseResultSerializer(serializers.Serializer[Any]):
    response = ResponseSerializer()
    support = SupportSerializer()


class ScoreSummarySerializer(serializers.Serializer[Any]):
    instrument = serializers.CharField()
    instrument_code = serializers.CharField()
    first_score = serializers.FloatField()
    first_date = BoundedDateField()
    latest_score = serializers.FloatField()
    latest_date = BoundedDateField()
    change = serializers.FloatField(allow_null=True)
    meaningful = serializers.BooleanField(allow_null=True)
    higher_is_better = serializers.BooleanField()
    band = serializers.CharField()
    responses = StrictIntegerField()
