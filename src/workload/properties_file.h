// Reading Java .properties files (go-ycsb's and YCSB's workload files) into
// an ordered list of (key, value, line), with the syntax that
// java.util.Properties.load accepts:
//
//   - lines end at \n, \r or \r\n; leading white space (space, \t, \f) is
//     skipped; blank lines are ignored;
//   - a line whose first non-blank character is '#' or '!' is a comment (a
//     comment never continues onto the next line);
//   - the key runs to the first unescaped '=', ':' or white space; then white
//     space, at most one '=' or ':', and white space again are skipped; the
//     rest of the line is the value, trailing white space included;
//   - an odd number of backslashes at the end of a line joins the next line,
//     whose leading white space is dropped;
//   - in keys and values \t \n \r \f and \uXXXX are escapes and a backslash
//     before any other character stands for that character ("\=" "\:" "\ "
//     "\\" "\#").
//
// Differences from Java: the bytes are read as UTF-8 (as go-ycsb's loader
// does) rather than ISO-8859-1, \uXXXX becomes UTF-8, a surrogate pair
// written as two escapes becomes one character and a lone surrogate is an
// error. go-ycsb's loader (magiconair/properties) also expands ${name}
// references; this reader does not.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tikvbench::workload {

struct Property {
  std::string key;
  std::string value;
  int line = 0;  // 1-based line where the property starts; 0: not from a file

  bool operator==(const Property&) const = default;
};

// Returns the properties in `text`, in file order; a key given twice appears
// twice (the later one wins when applied in order, as in Java). `source`
// names the text in messages. Throws std::invalid_argument
// "SOURCE:LINE: message" for a malformed \uXXXX escape or a lone surrogate.
std::vector<Property> parse_properties(std::string_view text, std::string_view source);

// Reads the file at `path` and parses it as above, naming it `path`.
// Throws std::invalid_argument "PATH: cannot read: REASON" when the file
// cannot be read, or parse_properties' errors.
std::vector<Property> read_properties_file(const std::string& path);

}  // namespace tikvbench::workload
