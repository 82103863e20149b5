"""One catalogue per language but English: ``MESSAGES``, English template -> translation.

Adding a language is one file here (``xx.py`` with ``MESSAGES``) and its code in
`dlpilot.core.messages.LANGUAGES`; `tests/core/test_messages.py` lists what it is missing.
"""
