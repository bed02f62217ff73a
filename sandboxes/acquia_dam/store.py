"""In-memory entities of the Acquia DAM Classic (Webdam REST API v2) sandbox and its configuration."""
from dataclasses import dataclass, field
from datetime import datetime, timezone

# "thumbnail_ttl" values of the document, in seconds (None: no expiry).
THUMBNAIL_TTLS = {"+3 min": 180, "+15 min": 900, "+2 hours": 7200, "+1 day": 86400, "+2 weeks": 1209600,
                  "no-expiration": None}
THUMBNAIL_SIZES = (100, 150, 220, 310, 550)
# The XMP fields of the document's "API Reference".
XMP_FIELDS = frozenset({
    "byline", "bytitle", "caption", "captionwriter", "category", "city", "contact", "copyright",
    "countrycode", "countryname", "creatoradrext", "creatoradrpcode", "creatorcity", "creatorcountry",
    "creatoremailwrk", "creatorregion", "creatortelwrk", "creatorurlwrk", "credate", "credit", "cretime",
    "customfield1", "customfield2", "customfield3", "customfield4", "customfield5", "customfield6",
    "customfield7", "customfield8", "customfield9", "customfield10", "customfield11", "customfield12",
    "customfield13", "customfield14", "customfield15", "customfield16", "customfield17", "customfield18",
    "customfield19", "customfield20", "datesent", "editstatus", "fixture", "headline", "imagetype",
    "intelgenre", "isocountrycode", "keyword", "label", "language", "marked", "objectname", "orgprg",
    "orgtransref", "orientation", "prgver", "rating", "reldate", "reltime", "rightsusageterms", "scene",
    "source", "specinstr", "state", "subcategory", "subfile", "subjectcode", "sublocation", "timesent",
    "urgency", "usageterms", "webstatement"
})
KINDS = ("image", "audiovideo", "document", "presentation", "other")


@dataclass(frozen=True)
class Config:
    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-client-secret"
    username: str = "api-seat"
    password: str = "sandbox-password"
    token_lifetime: int = 3600  # "ACCESS_TOKEN ... Lifetime of 1 hour"
    refresh_lifetime: int = 14 * 86400  # undocumented: a sandbox choice
    default_thumbnail_ttl: str = "+15 min"  # stands for "Default: Set by the account admin"
    https: bool = False  # thumbnail URLs are http:// as in the document unless --https
    clamp_limit: bool = False  # limit > 100: 400 by default, clamped to 100 with --clamp-limit
    upload_prefix: str = "both"  # which generateupload/finishupload paths exist: "/ws", "" or "both"
    # The API sends no Cache-Control: with --max-age the catalogue tells the service to keep answers that
    # long (ACQUIA_DAM_EXPIRE_AFTER), e.g. 2 s for expiry tests.
    max_age: int | None = None
    # The document's asset samples: "thumbnailurls": { {...}, ... }, which is not JSON (--document-json).
    document_json: bool = False


@dataclass(slots=True, eq=False)
class User:
    id: str
    username: str
    name: str
    email: str
    first: str = ""
    last: str = ""


@dataclass(slots=True, eq=False)
class Folder:
    id: str
    parent: str
    name: str
    status: str  # active | inactive
    datecreated: float
    user_id: str
    clientfolderid: str | None = None
    metadatatemplateid: str | None = None
    properties: dict = field(default_factory=dict)
    required_fields: tuple = ()  # XMP fields an upload must carry, else it lands "onhold"
    upload_status: str = "active"  # status of a completed upload when nothing is required


@dataclass(slots=True, eq=False)
class Asset:
    id: str
    folder_id: str
    status: str  # active | inactive | onhold
    kind: str  # one of KINDS (the listing's "types")
    filename: str
    name: str
    description: str
    filetype: str
    datecreated: float
    user_id: str
    key: str  # the thumbnail key, e.g. "9wFXFzBwv6"
    width: int | None = None  # None: the JSON has no width/height
    height: int | None = None
    pixels: tuple = (800, 600)  # the drawn picture's size when width/height are not given
    datemodified: float | None = None
    version: int = 1
    filesize: int = 180_000  # bytes; the JSON shows it in MB as the document's samples do
    xmp: dict = field(default_factory=dict)
    md_thumb: bool = False  # the 550 thumbnail URL is /image_dir/album<folder>/md_<key>.jpg
    upload: bytes | None = None
    upload_type: str | None = None
    requires: tuple = ()  # XMP fields that must be filled before an "onhold" asset can be activated
    reviewed: bool = False  # an operator approved or rejected it (it leaves /_sandbox/moderation)


@dataclass(slots=True, eq=False)
class Upload:
    """One "Upload an asset (optimized)" process: generateupload, the presigned PUT, finishupload."""
    process_id: str
    s3_key: str
    folder_id: str
    filename: str
    contenttype: str
    filesize: int
    created: float
    asset_id: str | None = None  # an update of this asset
    intent: str = "replace"
    data: bytes | None = None
    finished: bool = False


class State:
    """Everything a reset throws away."""

    def __init__(self, config: Config):
        self.config = config
        self.users: dict[str, User] = {}
        self.folders: dict[str, Folder] = {}
        self.assets: dict[str, Asset] = {}
        self.assets_by_key: dict[str, Asset] = {}
        self.lightboxes: dict[str, dict] = {}
        self.unsigned_paths: set[str] = set()  # thumbnails handed out with thumbnail_ttl 'no-expiration'
        self.uploads: dict[str, Upload] = {}  # process id -> upload
        self.uploads_by_key: dict[str, Upload] = {}
        self.access_tokens: dict[str, float] = {}  # token -> expiry (sandbox clock)
        self.refresh_tokens: dict[str, float] = {}
        self.codes: dict[str, dict] = {}  # authorization code -> {"expires", "redirect_uri"}
        self.grants = {"password": 0, "refresh_token": 0, "authorization_code": 0}
        self.notifications: list[dict] = []  # oldest first
        self.last_read: float | None = None
        self.fixtures: dict = {}
        self.seat_user_id = ""
        self.next_asset_id = 0
        self.next_process_id = 57165496
        self.next_notification_id = 2953

    def folder(self, folder_id: str, by_client_id: bool = False) -> Folder | None:
        if by_client_id:
            return next((f for f in self.folders.values() if f.clientfolderid == folder_id), None)
        return self.folders.get(folder_id)

    def add(self, a: Asset) -> Asset:
        self.assets[a.id] = a
        self.assets_by_key[a.key] = a
        return a

    def missing(self, a: Asset) -> list[str]:
        """Required fields still empty, which keep an "onhold" asset from being activated (409)."""
        return [f for f in a.requires if not a.xmp.get(f)] if a.status == "onhold" else []

    def notify(self, now: float, action: str, source: dict, subitems=None) -> None:
        """Record a notification of the seat's feed (GET /notifications), newest last here."""
        entry = {"id": str(self.next_notification_id), "type": "notification", "action": action,
                 "datecreated": stamp(now), "user_id": self.seat_user_id, "source": source}
        if subitems is not None:
            entry["subitems"] = subitems
        self.next_notification_id += 1
        self.notifications.append(entry)

    def moves(self, a: Asset, target: Folder | None) -> list[dict] | None:
        """The `subitems` of an edit moving `a` into `target`: the folder it leaves, then the one it enters
        (the document has no move action, nor says what a move's notification carries: a sandbox choice),
        or None when it stays."""
        if target is None or target.id == a.folder_id:
            return None
        return [{"type": "folder", "id": f.id, "name": f.name} for f in (self.folders[a.folder_id], target)]

    def folder_assets(self, folder_id: str) -> list[Asset]:
        return [a for a in self.assets.values() if a.folder_id == folder_id]

    def new_asset_id(self) -> str:
        self.next_asset_id += 1
        return str(self.next_asset_id)

    def publishable(self, a: Asset) -> bool:
        """What a gallery may show: an active image or video in an active folder."""
        folder = self.folders.get(a.folder_id)
        return (a.status == "active" and a.kind in ("image", "audiovideo") and folder is not None
                and folder.status == "active")


def stamp(ts: float) -> str:
    """The document's zone-less date format, "2013-07-10 14:30:25" (the sandbox's times are UTC)."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
