"""Reading /metrics (the Prometheus text format) with prometheus_client's own parser."""
from prometheus_client.parser import text_string_to_metric_families


def total(text, name, **labels):
    """The sum of the samples called `name` (e.g. "gallery_uploads_total") whose labels include `labels`."""
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == name and labels.items() <= sample.labels.items())
