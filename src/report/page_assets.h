// The fixed text of the HTML report: its CSS (the page's and the charts')
// and the hover script. Kept apart from the code that draws the page.
//
// Thread safety: constants.
#pragma once

#include <string_view>

namespace tikvbench::report {

// CSS for the page: layout, headings, tables, badges.
std::string_view page_style();

// CSS for charts and the hover tooltip; goes into the page's <style>.
std::string_view chart_style();

// The hover script: shows the values under the pointer. When the page's
// fragment is "#selftest" it moves a synthetic pointer over every chart
// and records the outcome in <body data-hover-ok="N">. It always ends by
// setting <body data-report-ready="1">, so a page whose script failed can
// be told from one that ran.
std::string_view chart_script();

}  // namespace tikvbench::report
