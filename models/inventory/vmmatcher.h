#pragma once

#include "vmquery.h"

namespace Vigie {

class Inventory;
struct VmInfo;

// Decides whether a VM answers a VmQuery, reading what the VM itself does not carry (its host's
// name, its VLANs and their names, its addresses) from the inventory. The one matcher behind the
// VM table, the host tree and the topology, so all three agree on the same text.
class VmMatcher
{
public:
    explicit VmMatcher(const Inventory *inventory = nullptr)
        : m_inventory(inventory)
    {}

    void setInventory(const Inventory *inventory) { m_inventory = inventory; }
    // Parses TEXT; false when it is the text already in use (nothing to refilter).
    bool setText(const QString &text);
    [[nodiscard]] QString text() const { return m_text; }
    [[nodiscard]] const VmQuery &query() const { return m_query; }
    [[nodiscard]] bool isEmpty() const { return m_query.isEmpty(); }

    [[nodiscard]] bool matches(const VmInfo &vm) const;
    // A host row by itself (one without matching VMs): only free words and host: terms apply.
    [[nodiscard]] bool matchesHost(const QString &uri) const;

private:
    [[nodiscard]] bool termMatches(const VmQuery::Term &term, const VmInfo &vm, QString *haystack) const;
    [[nodiscard]] QString haystackOf(const VmInfo &vm) const;

    const Inventory *m_inventory;
    QString m_text;
    VmQuery m_query;
};

} // namespace Vigie
