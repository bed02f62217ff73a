"""In-memory entities of the MomaPIX sandbox: items, events, lightboxes, users, sessions and downloads."""
from dataclasses import dataclass, field
from decimal import Decimal

SECTIONS = ("public", "private", "trash")
ARCHIVES = ("photo", "video", "audio", "text")


@dataclass(slots=True, eq=False)
class Item:
    id: str  # kept as text: ids can be fractional ("2241780.3")
    key: str  # opaque path key of the rendition files
    archive: str  # photo | video | audio | text
    mime_type: str
    title: str
    caption: str | None
    date: str  # the subject date, "YYYY-MM-DD"
    uploaded: float  # sandbox clock
    event_id: str
    xsize: int | None  # None: the item carries no sizes
    ysize: int | None
    section: str = "public"
    license: str = "RM"
    file_name: str = ""
    file_size: int = 0
    updated: float = 0.0
    # Server-defined metadata fields an upload may set (docs/sandbox.md: reference, byline, product_code).
    extra: dict = field(default_factory=dict)
    upload: bytes | None = None  # the uploaded file's bytes, when the item came in through POST /rest/item

    @property
    def number(self) -> Decimal:
        return Decimal(self.id)


@dataclass(slots=True, eq=False)
class Event:
    id: str
    title: str
    date: str
    text: str | None = None
    item_ids: list = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Lightbox:
    id: str
    owner: str  # username
    description: str
    subject_date: str
    created: float
    text: str | None = None
    item_ids: list = field(default_factory=list)  # in the order they were added


@dataclass(slots=True, eq=False)
class User:
    username: str
    password: str
    name: str
    role: str  # customer | desk


@dataclass(slots=True, eq=False)
class Session:
    token: str
    api_key: str
    created: float
    expires: float  # sandbox clock; renewed by a bearered GET /rest/session
    username: str | None = None
    ended: float | None = None
    end_reason: str | None = None  # superseded | logged_out | expired | invalidated


@dataclass(slots=True, eq=False)
class Download:
    id: str
    item_ids: list
    expires: float
    remaining: int = 1


@dataclass(slots=True, eq=False)
class UploadRecord:
    id: str
    item_id: str
    account: str
    file_name: str
    date: float
    action: str


class State:
    """Everything a reset throws away."""

    def __init__(self):
        self.items: dict[str, Item] = {}
        self.by_key: dict[str, Item] = {}
        self.events: dict[str, Event] = {}
        self.lightboxes: dict[str, Lightbox] = {}
        self.users: dict[str, User] = {}
        self.sessions: dict[str, Session] = {}
        self.downloads: dict[str, Download] = {}
        self.uploads: list[UploadRecord] = []
        self.fixtures: dict = {}
        self.renditions = None  # images.Renditions, set by the app (it knows the configured boxes)
        self.next_item = 0
        self.next_lightbox = 0
        self.next_event = 0

    def add_item(self, item: Item) -> Item:
        self.items[item.id] = item
        self.by_key[item.key] = item
        self.events[item.event_id].item_ids.append(item.id)
        return item

    def remove_item(self, item: Item) -> None:
        del self.items[item.id], self.by_key[item.key]
        self.events[item.event_id].item_ids.remove(item.id)
        for lb in self.lightboxes.values():
            if item.id in lb.item_ids:
                lb.item_ids.remove(item.id)

    def item(self, item_id) -> Item | None:
        """Look an id up however a client spells it: 2241642, "2241642", 2241780.3, "2241780.30"."""
        text = str(item_id)
        if text in self.items:
            return self.items[text]
        try:
            number = Decimal(text)
        except ArithmeticError:
            return None
        return next((i for i in self.items.values() if i.number == number), None)
