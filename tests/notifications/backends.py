"""An SMS provider that refuses everything (selected through settings.SMS_BACKEND)."""

from accounts.sms import SmsBackend, SmsError


class RefusingSmsBackend(SmsBackend):
    def send(self, message):
        raise SmsError("provider down")
