"""Files -> clean text -> passages -> mentions and relations -> resolved entities."""

import os as _os

# Offline by default for every entry point: no hub downloads, no telemetry, no analytics.
for _key, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    _os.environ.setdefault(_key, _value)
