"""SVG from a notebook's outputs, made safe to publish on the site's own origin.

An SVG output is written as a file beside the page and shown with `<img>`, where
it cannot run anything; but a reader who opens the file itself gets a document
of the site, and its scripts, event handlers and `javascript:` links would run
there. So the SVG is parsed as XML (no entity declarations: no "billion laughs",
nothing read from disk) and rebuilt from an allow-list of drawing elements and
attributes: no script, no foreignObject (HTML), no animation (it can rewrite an
href), links only to the file's own `#ids`, images only as embedded PNG, JPEG, GIF or
WebP, and no CSS that loads anything. Whatever is not on the list is dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape
from xml.parsers import expat

SVG = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_XML = "{http://www.w3.org/XML/1998/namespace}"

ELEMENTS = frozenset("""
    svg g defs symbol use title desc switch path rect circle ellipse line polyline polygon text tspan textPath
    clipPath mask pattern marker linearGradient radialGradient stop image style filter feBlend feColorMatrix
    feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight
    feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology
    feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
""".split())
ATTRIBUTES = frozenset("""
    id class style lang version baseProfile x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength
    viewBox preserveAspectRatio transform gradientTransform gradientUnits patternTransform patternUnits
    patternContentUnits clipPathUnits maskUnits maskContentUnits markerUnits markerWidth markerHeight refX refY orient
    offset spreadMethod dx dy rotate textLength lengthAdjust startOffset method spacing filterUnits primitiveUnits
    in in2 result stdDeviation operator k1 k2 k3 k4 mode values type tableValues slope intercept amplitude exponent
    azimuth elevation surfaceScale diffuseConstant specularConstant specularExponent kernelMatrix kernelUnitLength
    order divisor bias targetX targetY edgeMode preserveAlpha radius scale xChannelSelector yChannelSelector
    baseFrequency numOctaves seed stitchTiles limitingConeAngle pointsAtX pointsAtY pointsAtZ z media
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray
    stroke-dashoffset stroke-opacity opacity color clip-path clip-rule mask filter marker-start marker-mid marker-end
    font-family font-size font-size-adjust font-style font-weight font-variant font-stretch text-anchor
    dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing text-decoration writing-mode
    direction unicode-bidi display visibility overflow stop-color stop-opacity flood-color flood-opacity
    lighting-color color-interpolation color-interpolation-filters shape-rendering text-rendering image-rendering
    vector-effect paint-order transform-origin
""".split()) | {f"{_XML}space", f"{_XML}lang"}
_LOCAL = re.compile(r"#[\w.:-]*")
_RASTER = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*")
_RASTER_HOLDERS = {"image", "feImage"}
# CSS (a <style>, a style attribute, and every presentation attribute, which is parsed as CSS) may only refer
# to the file's own #ids: no @import, no url() to elsewhere, no old IE/Firefox script hooks, no CSS escapes
# that would spell any of them in disguise; and no javascript: anywhere
_UNSAFE = re.compile(r"@import|url\s*\(\s*(?!['\"]?\s*#)|expression\s*\(|javascript\s*:|behavior\s*:|-moz-binding|\\",
                     re.IGNORECASE)


def sanitise_svg(text: str) -> bytes:
    """The SVG with only its drawing left; ValueError when it is not an SVG document we can read."""
    _refuse_entities(text)
    try:
        root = ET.fromstring(text)
        for element in root.iter():  # `<svg>` without xmlns: browsers would not draw it; read it as meant
            if isinstance(element.tag, str) and not element.tag.startswith("{"):
                element.tag = f"{{{SVG}}}{element.tag}"
        if root.tag != f"{{{SVG}}}svg":
            raise ValueError("not an SVG document")
        _clean(root, "svg")
        root.attrib = {"xmlns": SVG, **root.attrib}
        out: list[str] = []
        _write(root, out)
        return "".join(out).encode("utf-8")
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _refuse_entities(text: str) -> None:
    """An internal DTD subset or an entity is how XML bombs and file reads are written; a plot never needs one.
    (matplotlib's `<!DOCTYPE svg PUBLIC … "…/svg11.dtd">` is fine: the DTD is never fetched.)"""
    def refuse(*_) -> None:
        raise ValueError("entity declarations are not allowed")

    def doctype(name, system_id, public_id, has_internal_subset) -> None:
        if has_internal_subset:
            refuse()

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None


def _clean(element: ET.Element, name: str) -> None:
    """Keep allowed attributes and children (a link becomes a plain group); drop the rest, with all inside it."""
    _clean_attributes(element, name)
    for child in list(element):
        child_name = _local(child.tag)
        if child_name == "a":
            child.tag, child_name = f"{{{SVG}}}g", "g"
        if child_name not in ELEMENTS or (child_name == "style" and (len(child) or _UNSAFE.search(child.text or ""))):
            _remove(element, child)
        else:
            _clean(child, child_name)


def _clean_attributes(element: ET.Element, name: str) -> None:
    attributes = dict(element.attrib)
    element.attrib.clear()
    href = (attributes.pop(_XLINK_HREF, None) or attributes.pop("href", None) or "").strip()
    if _LOCAL.fullmatch(href) or (name in _RASTER_HOLDERS and _RASTER.fullmatch(href)):
        element.set("href", href)
    for key, value in attributes.items():
        if key in ATTRIBUTES and not _UNSAFE.search(value):
            element.set(key, value)


def _write(element: ET.Element, out: list[str]) -> None:
    """Serialise what is left: every element is SVG's and every href plain, so no namespace prefixes are needed."""
    attributes = "".join(f' {key.replace(_XML, "xml:")}="{escape(value)}"' for key, value in element.attrib.items())
    name = _local(element.tag)
    out.append(f"<{name}{attributes}")
    if len(element) or element.text:
        out.append(">" + escape(element.text or "", quote=False))
        for child in element:
            _write(child, out)
        out.append(f"</{name}>")
    else:
        out.append("/>")
    out.append(escape(element.tail or "", quote=False))


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Drop `child`, keeping the text that followed it."""
    if child.tail:
        index = list(parent).index(child)
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _local(tag) -> str:
    """'{http://www.w3.org/2000/svg}path' → 'path'; '' for anything outside the SVG namespace (HTML, RDF, comments)."""
    if not isinstance(tag, str) or not tag.startswith(f"{{{SVG}}}"):
        return ""
    return tag[len(SVG) + 2:]
