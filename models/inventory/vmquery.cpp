#include "vmquery.h"

#include "vminfo.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace Vigie {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::VmQuery)
};

struct FieldName
{
    QStringView keyword;
    VmQuery::Field field;
};

// The keywords are protocol, not prose: the same in every language.
constexpr FieldName Fields[] = {
    {u"name", VmQuery::Field::Name},   {u"title", VmQuery::Field::Title},   {u"host", VmQuery::Field::Host},
    {u"tenant", VmQuery::Field::Tenant}, {u"state", VmQuery::Field::State}, {u"vlan", VmQuery::Field::Vlan},
    {u"tag", VmQuery::Field::Tag},     {u"ip", VmQuery::Field::Ip},         {u"mem", VmQuery::Field::Memory},
    {u"vcpus", VmQuery::Field::Vcpus},
};

constexpr VmState States[] = {VmState::Running, VmState::Blocked, VmState::Paused, VmState::ShuttingDown,
                              VmState::Shutoff, VmState::Crashed, VmState::Suspended, VmState::NoState};

bool isTextField(VmQuery::Field field)
{
    switch (field) {
    case VmQuery::Field::Name:
    case VmQuery::Field::Title:
    case VmQuery::Field::Host:
    case VmQuery::Field::Tenant:
    case VmQuery::Field::Tag:
    case VmQuery::Field::Ip:
    case VmQuery::Field::Vlan: return true;
    default: return false;
    }
}

// One token of the text: [-|!][field op]value, the value maybe in double quotes.
struct Token
{
    bool negated = false;
    QString field; // empty: a free word
    QString op;
    QString value;
};

class Tokenizer
{
public:
    explicit Tokenizer(QStringView text)
        : m_text(text)
    {}

    bool next(Token *token)
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
        if (m_pos >= m_text.size())
            return false;
        *token = {};
        if ((m_text.at(m_pos) == u'-' || m_text.at(m_pos) == u'!') && m_pos + 1 < m_text.size()
            && !m_text.at(m_pos + 1).isSpace()) {
            token->negated = true;
            ++m_pos;
        }
        qsizetype end = m_pos;
        while (end < m_text.size() && isAsciiLetter(m_text.at(end)))
            ++end;
        if (end > m_pos && end < m_text.size()) {
            const QString op = operatorAt(end);
            if (!op.isEmpty()) {
                token->field = m_text.sliced(m_pos, end - m_pos).toString().toLower();
                token->op = op;
                m_pos = end + op.size();
            }
        }
        token->value = readValue();
        return true;
    }

private:
    static bool isAsciiLetter(QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }

    QString operatorAt(qsizetype pos) const
    {
        const QChar c = m_text.at(pos);
        const bool equalNext = pos + 1 < m_text.size() && m_text.at(pos + 1) == u'=';
        if (c == u':' || c == u'~' || c == u'=')
            return QString(c);
        if (c == u'<' || c == u'>')
            return equalNext ? QString(c) + u'=' : QString(c);
        return {};
    }

    QString readValue()
    {
        if (m_pos < m_text.size() && m_text.at(m_pos) == u'"') {
            const qsizetype close = m_text.indexOf(u'"', m_pos + 1);
            const qsizetype end = close < 0 ? m_text.size() : close;
            const QString value = m_text.sliced(m_pos + 1, end - m_pos - 1).toString();
            m_pos = close < 0 ? end : end + 1;
            return value;
        }
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && !m_text.at(m_pos).isSpace())
            ++m_pos;
        return m_text.sliced(start, m_pos - start).toString();
    }

    QStringView m_text;
    qsizetype m_pos = 0;
};

std::optional<quint64> parseSizeKiB(const QString &text)
{
    static const QRegularExpression size(QStringLiteral(R"(^\s*(\d+(?:[.,]\d+)?)\s*([kmgt])?(?:i?b)?\s*$)"),
                                         QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = size.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const double number = match.captured(1).replace(u',', u'.').toDouble(&ok);
    if (!ok)
        return std::nullopt;
    const QString unit = match.captured(2).toLower();
    // A bare number is GiB: the unit the table shows for most VMs.
    const int power = unit.isEmpty() ? 2 : unit == u"k" ? 0 : unit == u"m" ? 1 : unit == u"g" ? 2 : 3;
    const double kib = number * std::pow(1024.0, power);
    if (kib > double(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    return quint64(std::llround(kib));
}

VmQuery::Op opOf(const QString &op)
{
    if (op == u"~")
        return VmQuery::Op::Regex;
    if (op == u"=")
        return VmQuery::Op::Equal;
    if (op == u"<")
        return VmQuery::Op::Less;
    if (op == u"<=")
        return VmQuery::Op::LessOrEqual;
    if (op == u">")
        return VmQuery::Op::Greater;
    if (op == u">=")
        return VmQuery::Op::GreaterOrEqual;
    return VmQuery::Op::Contains;
}

bool isComparison(VmQuery::Op op)
{
    return op == VmQuery::Op::Less || op == VmQuery::Op::LessOrEqual || op == VmQuery::Op::Greater
        || op == VmQuery::Op::GreaterOrEqual;
}

QString shortened(const QString &text)
{
    return text.size() > 40 ? text.left(40) + u'…' : text;
}

} // namespace

QStringList VmQuery::fieldNames()
{
    QStringList names;
    for (const FieldName &field : Fields)
        names.append(field.keyword.toString());
    return names;
}

VmQuery VmQuery::parse(const QString &text)
{
    VmQuery query;
    if (text.size() > MaxLength) {
        query.m_errors.append(Tr::tr("The search is %1 characters long; at most %2 are read. Nothing is filtered.")
                                  .arg(text.size())
                                  .arg(MaxLength));
        return query;
    }
    Tokenizer tokenizer(text);
    Token token;
    while (tokenizer.next(&token)) {
        Term term;
        term.negated = token.negated;
        term.value = token.value;
        const QString typed = (token.negated ? QStringLiteral("-") : QString()) + token.field + token.op + token.value;
        if (token.field.isEmpty()) {
            if (!term.value.isEmpty())
                query.m_terms.append(term);
            continue;
        }
        const auto field = std::find_if(std::cbegin(Fields), std::cend(Fields),
                                        [&](const FieldName &f) { return f.keyword == token.field; });
        if (field == std::cend(Fields)) {
            query.m_errors.append(Tr::tr("unknown field “%1” — fields: %2")
                                      .arg(shortened(token.field), fieldNames().join(QStringLiteral(", "))));
            continue;
        }
        term.field = field->field;
        term.op = opOf(token.op);
        if (term.value.isEmpty())
            continue; // still being typed: "host:" filters nothing yet
        const auto fail = [&](const QString &why) { query.m_errors.append(Tr::tr("%1: %2").arg(shortened(typed), why)); };
        if (isComparison(term.op) && term.field != Field::Memory && term.field != Field::Vcpus) {
            fail(Tr::tr("only mem and vcpus compare with <, <=, > or >="));
            continue;
        }
        if (term.op == Op::Regex) {
            if (!isTextField(term.field)) {
                fail(Tr::tr("~ (regular expression) applies to name, title, host, tenant, vlan, tag and ip"));
                continue;
            }
            term.regex = QRegularExpression(term.value, QRegularExpression::CaseInsensitiveOption
                                                            | QRegularExpression::UseUnicodePropertiesOption);
            if (!term.regex.isValid()) {
                fail(Tr::tr("bad regular expression (%1 at character %2)")
                         .arg(term.regex.errorString())
                         .arg(term.regex.patternErrorOffset() + 1));
                continue;
            }
            term.regex.optimize();
        }
        switch (term.field) {
        case Field::Memory: {
            const std::optional<quint64> kib = parseSizeKiB(term.value);
            if (!kib) {
                fail(Tr::tr("“%1” is not a size (examples: 512M, 8G, 1.5T; a bare number is GiB)").arg(shortened(term.value)));
                continue;
            }
            term.number = *kib;
            break;
        }
        case Field::Vcpus: {
            bool ok = false;
            term.number = term.value.toUInt(&ok);
            if (!ok) {
                fail(Tr::tr("“%1” is not a number of vCPUs").arg(shortened(term.value)));
                continue;
            }
            break;
        }
        case Field::Vlan:
            term.number = term.value.toUInt(&term.numeric);
            break;
        case Field::State: {
            QStringList known;
            for (VmState state : States) {
                known.append(vmStateName(state));
                if (vmStateName(state).startsWith(term.value, Qt::CaseInsensitive)
                    || vmStateDisplayName(state).startsWith(term.value, Qt::CaseInsensitive)) {
                    term.states.append(int(state));
                }
            }
            if (term.states.isEmpty()) {
                fail(Tr::tr("unknown state — states: %1").arg(known.join(QStringLiteral(", "))));
                continue;
            }
            break;
        }
        default: break;
        }
        query.m_terms.append(term);
    }
    return query;
}

QString VmQuery::syntaxHelp()
{
    return Tr::tr("Words match name, title, host, tenant, state, VLAN, address and tags; all must match.\n"
                  "Fields: host:par-hv01 tenant:acme state:running vlan:200 tag:web ip:10.0.1 title:cache\n"
                  "Sizes and counts: mem>8G mem<=512M vcpus>=4 (a bare size is GiB)\n"
                  "Regular expression: name~^web-[0-9]+$ · Quotes: tenant:\"banque lumière\"\n"
                  "Negation: -state:running or !tag:web");
}

} // namespace Vigie
