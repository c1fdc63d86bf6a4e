#include "vmmatcher.h"

#include "inventory.h"
#include "vminfo.h"

#include <algorithm>

namespace Vigie {

namespace {

bool textMatches(const VmQuery::Term &term, const QString &text)
{
    switch (term.op) {
    case VmQuery::Op::Regex: return term.regex.match(text).hasMatch();
    case VmQuery::Op::Equal: return text.compare(term.value, Qt::CaseInsensitive) == 0;
    default: return text.contains(term.value, Qt::CaseInsensitive);
    }
}

bool anyMatches(const VmQuery::Term &term, const QStringList &texts)
{
    return std::any_of(texts.cbegin(), texts.cend(), [&](const QString &text) { return textMatches(term, text); });
}

bool compare(VmQuery::Op op, quint64 value, quint64 wanted)
{
    switch (op) {
    case VmQuery::Op::Less: return value < wanted;
    case VmQuery::Op::LessOrEqual: return value <= wanted;
    case VmQuery::Op::Greater: return value > wanted;
    case VmQuery::Op::GreaterOrEqual: return value >= wanted;
    default: return value == wanted;
    }
}

} // namespace

bool VmMatcher::setText(const QString &text)
{
    if (text == m_text)
        return false;
    m_text = text;
    m_query = VmQuery::parse(text);
    return true;
}

QString VmMatcher::haystackOf(const VmInfo &vm) const
{
    QStringList parts{vm.name, vm.displayName, vm.title, vm.tenant, vmStateDisplayName(vm.state), vmStateName(vm.state)};
    parts += vm.tags;
    if (m_inventory) {
        parts.append(m_inventory->host(vm.hostUri).displayName);
        for (int id : m_inventory->vmVlans(vm.key())) {
            parts.append(QString::number(id));
            parts.append(m_inventory->vlanName(id));
        }
        for (const NicInfo &nic : vm.nics) {
            if (const ControllerNic *port = m_inventory->controllerNic(nic)) {
                parts.append(port->network);
                parts += port->addresses;
            }
        }
    }
    return parts.join(u'\n');
}

bool VmMatcher::termMatches(const VmQuery::Term &term, const VmInfo &vm, QString *haystack) const
{
    switch (term.field) {
    case VmQuery::Field::Text:
        if (haystack->isNull())
            *haystack = haystackOf(vm);
        return haystack->contains(term.value, Qt::CaseInsensitive);
    case VmQuery::Field::Name: return textMatches(term, vm.name) || (!vm.displayName.isEmpty() && textMatches(term, vm.displayName));
    case VmQuery::Field::Title: return textMatches(term, vm.title);
    case VmQuery::Field::Tenant: return textMatches(term, vm.tenant);
    case VmQuery::Field::Host:
        return m_inventory && textMatches(term, m_inventory->host(vm.hostUri).displayName);
    case VmQuery::Field::State: return term.states.contains(int(vm.state));
    case VmQuery::Field::Tag:
        // A tag is a word of its own: tag:web is not tag:webhooks (tag~ web finds both).
        if (term.op == VmQuery::Op::Regex)
            return anyMatches(term, vm.tags);
        return std::any_of(vm.tags.cbegin(), vm.tags.cend(),
                           [&](const QString &tag) { return tag.compare(term.value, Qt::CaseInsensitive) == 0; });
    case VmQuery::Field::Ip: {
        if (!m_inventory)
            return false;
        for (const NicInfo &nic : vm.nics) {
            const ControllerNic *port = m_inventory->controllerNic(nic);
            if (port && anyMatches(term, port->addresses))
                return true;
        }
        return false;
    }
    case VmQuery::Field::Vlan: {
        if (!m_inventory)
            return false;
        const QList<int> ids = m_inventory->vmVlans(vm.key());
        if (term.numeric && term.op != VmQuery::Op::Regex)
            return ids.contains(int(term.number));
        for (int id : ids) {
            if (textMatches(term, m_inventory->vlanName(id)))
                return true;
        }
        for (const NicInfo &nic : vm.nics) {
            const ControllerNic *port = m_inventory->controllerNic(nic);
            if (port && textMatches(term, port->network))
                return true;
        }
        return false;
    }
    case VmQuery::Field::Memory: return compare(term.op, vm.memoryKiB, term.number);
    case VmQuery::Field::Vcpus: return compare(term.op, quint64(qMax(vm.vcpus, 0)), term.number);
    }
    return false;
}

bool VmMatcher::matches(const VmInfo &vm) const
{
    QString haystack; // built at most once, and only if a free word needs it
    for (const VmQuery::Term &term : m_query.terms()) {
        if (termMatches(term, vm, &haystack) == term.negated)
            return false;
    }
    return true;
}

bool VmMatcher::matchesHost(const QString &uri) const
{
    if (m_query.isEmpty())
        return true;
    const QString name = m_inventory ? m_inventory->host(uri).displayName : QString();
    for (const VmQuery::Term &term : m_query.terms()) {
        if (term.field != VmQuery::Field::Text && term.field != VmQuery::Field::Host)
            return false;
        if (textMatches(term, name) == term.negated)
            return false;
    }
    return true;
}

} // namespace Vigie
