"""朗读 where the phone has no Chinese voice: an audio file per case, made at build time."""

from .job import SpeechJob, SpeechResult, case_text, start_speech

__all__ = ["SpeechJob", "SpeechResult", "case_text", "start_speech"]
