"""Check kinds: the only code behind the rule packs.

A rule pack names a kind, a field and parameters; the kind is a small function with a frozen
dataclass for its parameters, registered in ``OPERATORS`` below (one explicit dict: an unknown kind
in a pack is a load error). Every limit lives in the packs, never here. Each function's
docstring is the user documentation (docs/rules.md is generated from it).
"""

from __future__ import annotations

from vidlint.checks.base import Bound, Bounds, Fail, Operator, Params, fmt_number, with_unit
from vidlint.checks.files import (
    CaptionParams,
    ContainerParams,
    ExtensionContentParams,
    ImageParams,
    caption_valid,
    extension_content_match,
    image_valid,
    readable_video,
    unreadable_reason,
)
from vidlint.checks.links import (
    FetchOutcomeParams,
    PlatformParams,
    VerifiedParams,
    VideoLinkParams,
    fetch_outcome,
    platform_available,
    unverifiable,
    verified,
    video_link,
)
from vidlint.checks.numbers import (
    BetweenParams,
    LtParams,
    MaxDimensionParams,
    MaxParams,
    MinDimensionParams,
    MinParams,
    RatioParams,
    between,
    less_than,
    max_dimensions,
    maximum,
    min_dimensions,
    minimum,
    ratio_close,
)
from vidlint.checks.requests import (
    AnyOfParams,
    DatetimeParams,
    ObjectParams,
    PkParams,
    RequiredParams,
    UrlParams,
    datetime_format,
    non_empty_object,
    pk,
    required,
    required_any,
    url_syntax,
)
from vidlint.checks.strings import (
    InSetParams,
    LengthParams,
    MatchesParams,
    MaxItemsParams,
    MinItemsParams,
    TextParams,
    in_set,
    length_between,
    matches,
    max_items,
    min_items,
    text,
)

__all__ = [
    "OPERATORS",
    "Bound",
    "Bounds",
    "Fail",
    "Operator",
    "Params",
    "fmt_number",
    "unreadable_reason",
    "unverifiable",
    "with_unit",
]

OPERATORS: dict[str, Operator] = {
    "between": Operator(between, BetweenParams),
    "min": Operator(minimum, MinParams),
    "max": Operator(maximum, MaxParams),
    "lt": Operator(less_than, LtParams),
    "ratio_close": Operator(ratio_close, RatioParams),
    "min_dimensions": Operator(min_dimensions, MinDimensionParams),
    "max_dimensions": Operator(max_dimensions, MaxDimensionParams),
    "in_set": Operator(in_set, InSetParams),
    "matches": Operator(matches, MatchesParams),
    "length_between": Operator(length_between, LengthParams),
    "text": Operator(text, TextParams),
    "max_items": Operator(max_items, MaxItemsParams),
    "min_items": Operator(min_items, MinItemsParams),
    "required": Operator(required, RequiredParams, sees_absent=True),
    "required_any": Operator(required_any, AnyOfParams),
    "non_empty_object": Operator(non_empty_object, ObjectParams),
    "pk": Operator(pk, PkParams),
    "url_syntax": Operator(url_syntax, UrlParams),
    "datetime_format": Operator(datetime_format, DatetimeParams),
    "extension_content_match": Operator(extension_content_match, ExtensionContentParams),
    "readable_video": Operator(readable_video, ContainerParams),
    "image_valid": Operator(image_valid, ImageParams),
    "caption_valid": Operator(caption_valid, CaptionParams),
    "fetch_outcome": Operator(fetch_outcome, FetchOutcomeParams),
    "video_link": Operator(video_link, VideoLinkParams),
    "platform_available": Operator(platform_available, PlatformParams),
    "verified": Operator(verified, VerifiedParams),
}

