from django.contrib import admin

from api.wellbeing.models import Alert, Instrument, MoodTag, RiskPhrase


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ["id", "organisation", "case", "severity", "reason", "status", "raised_at", "escalation_level"]
    list_filter = ["status", "severity", "reason"]
    readonly_fields = [f.name for f in Alert._meta.fields]


@admin.register(MoodTag)
class MoodTagAdmin(admin.ModelAdmin[MoodTag]):
    list_display = ["code", "label", "organisation", "is_active"]


@admin.register(RiskPhrase)
class RiskPhraseAdmin(admin.ModelAdmin[RiskPhrase]):
    list_display = ["phrase", "category", "organisation", "is_active"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin[Instrument]):
    list_display = ["code", "name", "organisation"]
