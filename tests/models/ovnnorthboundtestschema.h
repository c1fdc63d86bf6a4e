#pragma once

#include <QByteArray>

namespace Vigie {

// The columns of OVN_Northbound (ovn-nb.ovsschema) the client reads, with their real types: the
// schema the OVSDB cache and network correlation tests load.
inline const QByteArray OvnNorthboundTestSchema = R"({
  "name": "OVN_Northbound", "version": "7.3.0",
  "tables": {
    "Logical_Switch": {"isRoot": true, "columns": {
      "name": {"type": "string"},
      "ports": {"type": {"key": {"type": "uuid", "refTable": "Logical_Switch_Port", "refType": "strong"},
                         "min": 0, "max": "unlimited"}},
      "external_ids": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}}}},
    "Logical_Switch_Port": {"columns": {
      "name": {"type": "string"},
      "type": {"type": "string"},
      "addresses": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
      "tag": {"type": {"key": {"type": "integer", "minInteger": 1, "maxInteger": 4095}, "min": 0, "max": 1}},
      "tag_request": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 4095}, "min": 0, "max": 1}},
      "up": {"type": {"key": "boolean", "min": 0, "max": 1}},
      "enabled": {"type": {"key": "boolean", "min": 0, "max": 1}},
      "options": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
      "external_ids": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}}},
      "indexes": [["name"]]}}})";

} // namespace Vigie
