"""The sources that are configured, in the order GALLERY_PROVIDERS gives, each wearing the wrappers
every source wears. The web layer asks it for sources and never imports one."""
import dataclasses

from .federation import Federated, Member, Mix
from .hiding import HidingReported
from .wrappers import FreshMemo, Stamped


class UnknownProvider(ValueError):
    """A provider name that is not configured here."""


def wrap(source, redis_client, memo_size=256, kind=None, brand_credit=None):
    """`source` with its catalogue wrapped: stamped (provider, id prefix, kind: `kind` or the one its
    capabilities declare, and the brand's credit), memoised, reported media hidden."""
    kind = kind or source.capabilities.kind
    if kind != source.capabilities.kind:
        source = dataclasses.replace(source, capabilities=dataclasses.replace(source.capabilities, kind=kind))
    catalogue = Stamped(source.catalogue, source.name, source.capabilities.id_prefix, kind, brand_credit)
    catalogue = HidingReported(FreshMemo(catalogue, redis_client, memo_size), redis_client)
    return dataclasses.replace(source, catalogue=catalogue)


class Registry:
    def __init__(self, sources, upload_provider=None, mix=Mix()):
        """`sources`: wrapped Sources, in order (a listing without providers= mixes them all, in it);
        `upload_provider`: the name of the one shoppers' uploads go to, or None; `mix`: how a
        listing of several mixes them when it names no mix (GALLERY_MIX)."""
        self.mix = mix
        if not sources:
            raise ValueError("no media source is configured")
        self._sources = {source.name: source for source in sources}
        prefixes = sorted((s.capabilities.id_prefix for s in sources), key=len, reverse=True)
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("two sources share an id prefix")
        self._by_prefix = [(p, s) for p in prefixes for s in sources if s.capabilities.id_prefix == p]
        if upload_provider is not None:
            upload = self.get(upload_provider)
            if not upload.capabilities.uploads or upload.submissions is None:
                raise ValueError(f"UPLOAD_PROVIDER {upload_provider} does not take uploads")
        self._upload = upload_provider

    @property
    def names(self):
        return list(self._sources)

    @property
    def default(self):
        return next(iter(self._sources.values()))

    def __iter__(self):
        return iter(self._sources.values())

    def get(self, name):
        try:
            return self._sources[name]
        except KeyError:
            raise UnknownProvider(name) from None

    def federated(self, sources, mix):
        """One Catalogue over `sources` (of this registry, in order) mixed by `mix` (federation.Mix),
        reported media hidden from the mixed pages."""
        members = [Member(s.name, s.catalogue.unfiltered, s.capabilities) for s in sources]
        return sources[0].catalogue.over(Federated(members, mix))

    def for_media(self, media_id):
        """The source that served the medium with this public id (by its prefix)."""
        for prefix, source in self._by_prefix:  # longest prefix first; Olapic's "" last
            if media_id.startswith(prefix):
                return source
        raise UnknownProvider(media_id)

    @property
    def uploads(self):
        """The source shoppers' uploads (and reports, unless a medium says otherwise) go to, or None."""
        return self._sources[self._upload] if self._upload else None

    def secrets(self):
        return [secret for source in self for secret in source.secrets if secret]

    def close(self):
        for source in self:
            source.close()
