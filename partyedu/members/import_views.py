# Temporary until the import/export work lands.
from django.http import Http404


def _missing(request, pk=None):
    raise Http404


export_start = export_status = export_download = upload = template = report = error_report = commit = discard = _missing
