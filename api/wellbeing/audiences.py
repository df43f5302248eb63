"""What a young person sees of their check-ins and questionnaires: their own output serializers.

Declared in ``core.audiences``. They see what they said and when; never the case reference, scores, bands or
the thresholds that raise an alert (those are staff's reading of the answers), and never an alert itself.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.wellbeing.models import Assignment, CheckIn, Instrument, MoodTag, QuestionnaireResponse
from api.wellbeing.scoring import options_for
from core.audiences import MethodRows
from core.fields import BoundedDateField, StrictIntegerField


class YoungPersonMoodTagSerializer(serializers.ModelSerializer[MoodTag]):
    class Meta:
        model = MoodTag
        fields = ["id", "code", "label"]


class YoungPersonCheckInSerializer(serializers.ModelSerializer[CheckIn]):
    """Their own check-in, their own words included."""

    class Meta:
        model = CheckIn
        fields = ["id", "mood", "tags", "words", "recorded_at"]


class YoungPersonCrisisLineSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    how = serializers.CharField()
    number = serializers.CharField()
    when = serializers.CharField()


class YoungPersonSupportSerializer(serializers.Serializer[Any]):
    alert_raised = serializers.BooleanField()
    worker_told = serializers.BooleanField()
    message = serializers.CharField()
    crisis_lines = YoungPersonCrisisLineSerializer(many=True)


class YoungPersonCheckInResultSerializer(serializers.Serializer[Any]):
    checkin = YoungPersonCheckInSerializer()
    support = YoungPersonSupportSerializer()


class YoungPersonTrendSummarySerializer(serializers.Serializer[Any]):
    count = StrictIntegerField()
    average = serializers.FloatField(allow_null=True)
    lowest = StrictIntegerField(allow_null=True)
    highest = StrictIntegerField(allow_null=True)
    top_tags = serializers.ListField(child=serializers.CharField())


class YoungPersonDailyMoodSerializer(serializers.Serializer[Any]):
    date = BoundedDateField()
    count = StrictIntegerField()
    average = serializers.FloatField(allow_null=True)


class YoungPersonTrendsSerializer(serializers.Serializer[Any]):
    """Their own moods over time, as the app draws them."""

    last_7_days = YoungPersonTrendSummarySerializer()
    last_30_days = YoungPersonTrendSummarySerializer()
    direction = serializers.CharField()
    daily = YoungPersonDailyMoodSerializer(many=True)


class YoungPersonOptionSerializer(serializers.Serializer[Any]):
    value = serializers.JSONField()
    label = serializers.CharField()  # type: ignore[assignment]


class YoungPersonQuestionSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    text = serializers.CharField()
    options = YoungPersonOptionSerializer(many=True)


class YoungPersonQuestionnaireSerializer(serializers.ModelSerializer[Instrument]):
    """The questions to answer, with their choices; the scoring rules stay with staff."""

    version = serializers.SerializerMethodField()
    questions = MethodRows(YoungPersonQuestionSerializer)

    class Meta:
        model = Instrument
        fields = ["id", "code", "name", "version", "questions"]

    def _latest(self, instrument: Instrument) -> Any:
        return self.context.get("versions", {}).get(instrument.pk)

    def get_version(self, instrument: Instrument) -> int | None:
        latest = self._latest(instrument)
        return latest.number if latest else None

    def get_questions(self, instrument: Instrument) -> list[dict[str, Any]]:
        latest = self._latest(instrument)
        if latest is None:
            return []
        definition = latest.definition
        return [
            {"id": item["id"], "text": item["text"], "options": options_for(definition, item)}
            for item in definition["items"]
        ]


class YoungPersonAssignmentSerializer(serializers.ModelSerializer[Assignment]):
    instrument = StrictIntegerField(source="instrument_id")
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "instrument", "instrument_name", "status", "due_on", "completed_at"]


class YoungPersonAnswerSerializer(serializers.Serializer[Any]):
    question = serializers.CharField()
    answer = serializers.JSONField()


class YoungPersonResponseSerializer(serializers.ModelSerializer[QuestionnaireResponse]):
    """What they answered, question by question; never the score or band staff read from it."""

    instrument = serializers.CharField(source="version.instrument.code", read_only=True)
    version_number = StrictIntegerField(source="version.number", read_only=True)
    answers = MethodRows(YoungPersonAnswerSerializer)

    class Meta:
        model = QuestionnaireResponse
        fields = ["id", "assignment", "instrument", "version_number", "answers", "complete", "submitted_at"]

    def get_answers(self, response: QuestionnaireResponse) -> list[dict[str, Any]]:
        return [{"question": key, "answer": value} for key, value in (response.answers or {}).items()]


class YoungPersonResponseResultSerializer(serializers.Serializer[Any]):
    response = YoungPersonResponseSerializer()
    support = YoungPersonSupportSerializer()
