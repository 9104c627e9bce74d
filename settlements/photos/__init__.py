"""The portal's one photo mechanism: any app's records may own photos given as evidence (a facility, a culture
session, a house before and after, a notice, a party activity).

An app registers the model in its `AppConfig.ready()` (`register`: the capability that adds and deletes its
photos, and the scope that finds its records for a user), shows the gallery on the record's page with one
context helper and one include (`gallery(owner, user)`, `templates/partials/photo_gallery.html`), and gets the
rest from here: upload from a phone (several at once), checks that name each file refused (`images`), one
transaction for all (`services.photos_add`), a print size and a thumbnail without EXIF (no GPS), pages to
serve and delete them within the user's scope (`views`), history and the audit trail. See README.md,
"Photos (照片)".
"""

from .gallery import Gallery, gallery
from .registry import OwnerKeyConverter, PhotoOwner, all_owners, get, of, photos_of, register, unregister

__all__ = [
    "Gallery",
    "OwnerKeyConverter",
    "PhotoOwner",
    "all_owners",
    "gallery",
    "get",
    "of",
    "photos_of",
    "register",
    "unregister",
]
