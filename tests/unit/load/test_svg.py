"""SVG outputs of notebooks are files on the site's origin: only their drawing survives, never a script."""

from __future__ import annotations

import pytest

from stufen.load.svg import sanitise_svg

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
PNG = "data:image/png;base64,iVBORw0KGgo="

# What matplotlib's savefig(format="svg") writes, shortened
MATPLOTLIB = f"""<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg {NS} width="460.8pt" height="345.6pt" viewBox="0 0 460.8 345.6" version="1.1">
 <metadata>
  <rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
   <dc:title>Matplotlib v3.8.0, https://matplotlib.org/</dc:title>
  </rdf:RDF>
 </metadata>
 <defs>
  <style type="text/css">*{{stroke-linejoin: round; stroke-linecap: butt}}</style>
 </defs>
 <g id="figure_1">
  <path d="M 0 345.6 L 460.8 345.6 L 460.8 0 L 0 0 z" style="fill: #ffffff"/>
  <defs><path id="m0" d="M 0 0 L 0 3.5" style="stroke: #000000; stroke-width: 0.8"/></defs>
  <use xlink:href="#m0" x="73.3" y="307.6" style="stroke: #000000; stroke-width: 0.8"/>
  <path d="M 73 300 L 400 40" clip-path="url(#p1)" style="fill: none; stroke: #1f77b4"/>
  <image xlink:href="{PNG}" width="10" height="10"/>
  <text x="1" y="2" xml:space="preserve" style="font-size: 10px">loss &amp; accuracy &lt; 1</text>
 </g>
 <defs><clipPath id="p1"><rect x="57.6" y="41.47" width="357.12" height="266.11"/></clipPath></defs>
</svg>
"""


def test_a_matplotlib_figure_keeps_its_drawing_and_loses_its_metadata():
    assert sanitise_svg(MATPLOTLIB).decode() == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="460.8pt" height="345.6pt" viewBox="0 0 460.8 345.6" '
        'version="1.1">\n \n <defs>\n  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}'
        '</style>\n </defs>\n <g id="figure_1">\n'
        '  <path d="M 0 345.6 L 460.8 345.6 L 460.8 0 L 0 0 z" style="fill: #ffffff"/>\n'
        '  <defs><path id="m0" d="M 0 0 L 0 3.5" style="stroke: #000000; stroke-width: 0.8"/></defs>\n'
        '  <use href="#m0" x="73.3" y="307.6" style="stroke: #000000; stroke-width: 0.8"/>\n'
        '  <path d="M 73 300 L 400 40" clip-path="url(#p1)" style="fill: none; stroke: #1f77b4"/>\n'
        f'  <image href="{PNG}" width="10" height="10"/>\n'
        '  <text x="1" y="2" xml:space="preserve" style="font-size: 10px">loss &amp; accuracy &lt; 1</text>\n'
        ' </g>\n <defs><clipPath id="p1"><rect x="57.6" y="41.47" width="357.12" height="266.11"/></clipPath>'
        '</defs>\n</svg>')


HOSTILE = {
    "script": f'<svg {NS}><script>alert(1)</script><script type="text/ecmascript"><![CDATA[alert(2)]]></script></svg>',
    "prefixed script": '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>',
    "html script": f'<svg {NS}><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
    "event handlers": f'<svg {NS} onload="alert(1)"><rect onclick="alert(2)" ONMOUSEOVER="alert(3)" width="1"/></svg>',
    "javascript link": f'<svg {NS}><a xlink:href="javascript:alert(1)"><text>x</text></a>'
                       '<a href=" JavaScript:alert(2)"><text>y</text></a></svg>',
    "foreignObject": f'<svg {NS}><foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" '
                     'onerror="alert(1)"/><script>alert(2)</script></body></foreignObject></svg>',
    "animation": f'<svg {NS}><a><animate attributeName="href" values="javascript:alert(1)"/>'
                 '<set attributeName="href" to="javascript:alert(2)"/><text>x</text></a></svg>',
    "external use": f'<svg {NS}><use href="https://evil.example/x.svg#a"/><use xlink:href="data:image/svg+xml,'
                    '%3Csvg%20onload=alert(1)%3E"/></svg>',
    "svg image": f'<svg {NS}><image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"/>'
                 '<image href="https://evil.example/track.png"/><feImage href="javascript:alert(1)"/></svg>',
    "css": f'<svg {NS}><style>@import url(https://evil.example/x.css);</style><style>a{{b:url(//evil.example)}}'
           '</style><style>@\\69mport "x";</style><rect style="fill: url(https://evil.example/a)" '
           'fill="url(javascript:alert(1))" width="1"/></svg>',
    "iframe and embed": f'<svg {NS}><iframe src="javascript:alert(1)"/><embed src="x"/><handler>alert(1)</handler>'
                        '</svg>',
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_svgs_lose_everything_that_could_run_or_load(name):
    svg = sanitise_svg(HOSTILE[name]).decode().lower()
    for gone in ("script", "alert", "onload", "onclick", "onerror", "onmouseover", "javascript", "evil",
                 "foreignobject", "animate", "<set", "iframe", "embed", "handler", "@import", "image/svg", "mport"):
        assert gone not in svg, (name, gone, svg)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_links_become_plain_groups_and_local_references_stay():
    assert sanitise_svg(f'<svg {NS}><a xlink:href="https://example.com/" target="_top"><text>x</text></a>'
                        '<rect fill="url(#grad)" width="1"/></svg>') == (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g><text>x</text></g><rect fill="url(#grad)" width="1"/></svg>')


@pytest.mark.parametrize("svg", [
    '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    f'<svg {NS}><text>&b;</text></svg>',  # "billion laughs", small
    f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg {NS}><text>&x;</text></svg>',  # a file read
    f'<!DOCTYPE svg [<!ELEMENT svg ANY>]><svg {NS}/>',
    f'<svg {NS}><text>&nbsp;</text></svg>',  # an entity nobody declared
    f'<svg {NS}><text>unclosed</svg>',
    '<html><script>alert(1)</script></html>',
    "not xml at all",
    "<svg>" + "<g>" * 5000 + "</g>" * 5000 + "</svg>",  # deeper than any drawing
])
def test_what_is_not_a_plain_svg_document_is_not_an_image(svg):
    with pytest.raises(ValueError):
        sanitise_svg(svg)


def test_an_svg_without_its_namespace_is_read_as_svg():
    assert sanitise_svg('<svg width="2"><rect width="1" onclick="x"/></svg>') == (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="2"><rect width="1"/></svg>')
