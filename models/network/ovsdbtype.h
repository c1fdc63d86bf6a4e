#pragma once

#include <QString>

#include <optional>

namespace Vigie {

enum class OvsdbAtomicType { Integer, Real, Boolean, String, Uuid };

// <base-type> of RFC 7047 3.2; enum and range constraints are the server's business.
struct OvsdbBaseType
{
    OvsdbAtomicType type = OvsdbAtomicType::String;
    QString refTable; // for uuids

    friend bool operator==(const OvsdbBaseType &, const OvsdbBaseType &) = default;
};

// <type> of RFC 7047 3.2: a scalar (min = max = 1, no value), an optional scalar or set, or a map.
struct OvsdbColumnType
{
    static constexpr int Unlimited = -1;

    OvsdbBaseType key;
    std::optional<OvsdbBaseType> value; // set for maps
    int min = 1;
    int max = 1; // Unlimited for "unlimited"

    [[nodiscard]] bool isMap() const { return value.has_value(); }
    [[nodiscard]] bool isScalar() const { return !value && min == 1 && max == 1; }
    // update2's "modify" diffs sets and maps of more than one element; the others come whole.
    [[nodiscard]] bool isSetLike() const { return !isMap() && !isScalar(); }

    friend bool operator==(const OvsdbColumnType &, const OvsdbColumnType &) = default;
};

} // namespace Vigie
