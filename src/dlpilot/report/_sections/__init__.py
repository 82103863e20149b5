"""The report's sections, one module per family, in the page's order.

Each module turns a `RunRecord` into the HTML of its sections; `render.build_page`
puts them on the page. A new section is a function here and one line there.
"""
