"""A document prints without its emblem, and says so in the log, when the file storage cannot
give the emblem back: a bucket's errors (botocore's) are not OSError, and must not make a print,
a memo or a publication fail."""

import io
import logging
from unittest import mock

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from measures.organisations import logo_data_uri
from reports import rendering

pytestmark = pytest.mark.django_db


class StorageBroke(RuntimeError):
    """An error of no kind the portal knows, as a storage backend may raise."""


UNREACHABLE = [
    EndpointConnectionError(endpoint_url="http://minio.internal:9000/ita-files/logos/x.png"),
    StorageBroke("the store answered nonsense"),
    FileNotFoundError("logos/x.png"),
]


def stored_emblem() -> str:
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, format="PNG")
    return default_storage.save("logos/test-town-emblem.png", ContentFile(picture.getvalue()))


@pytest.mark.parametrize("error", UNREACHABLE, ids=type)
def test_a_document_prints_without_its_emblem_when_the_storage_fails(error, organisation, document, caplog):
    organisation.logo.name = stored_emblem()
    organisation.save()
    with mock.patch.object(default_storage, "open", side_effect=error), caplog.at_level(logging.WARNING):
        html = rendering.target_html(document)
    assert '<section class="cover">' in html and "cover-emblem" not in html and "data:image/" not in html
    (record,) = [r for r in caplog.records if r.name == "measures.organisations.logos"]
    assert record.levelno >= logging.WARNING and organisation.logo.name in record.getMessage()


def test_an_emblem_the_storage_could_not_give_is_printed_once_it_can(organisation, caplog):
    name = stored_emblem()
    with mock.patch.object(default_storage, "open", side_effect=StorageBroke("down")):
        assert logo_data_uri(name) == ""
    assert logo_data_uri(name).startswith("data:image/png;base64,")
