#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace Vigie {

// A VM search as typed in a filter box, parsed once per change of the text:
//   web db                    free words: each must appear in the name, title, host, tenant,
//                             state, VLANs (ids and names), addresses or tags
//   host:par-hv01 tenant:acme state:running vlan:200 tag:web ip:10.0.1
//   mem>8G mem<=512M vcpus>=4 vcpus=2     sizes in K, M, G, T (binary units); a bare number is GiB
//   name~^web-[0-9]+$         a regular expression (case-insensitive) on a text field
//   tenant:"banque lumière"   quoted values keep their spaces
//   -state:running  !tag:web  negation
// All terms must hold (AND). A term that cannot be understood (unknown field, bad regular
// expression, bad size, unknown state) is left out of the search and reported by error(): the
// other terms still filter, and the box shows what is wrong rather than hiding everything.
class VmQuery
{
public:
    // Longer text is refused (a paste gone wrong): the query is then empty, with an error.
    static constexpr qsizetype MaxLength = 1000;

    enum class Field { Text, Name, Title, Host, Tenant, State, Vlan, Tag, Ip, Memory, Vcpus };
    enum class Op { Contains, Regex, Equal, Less, LessOrEqual, Greater, GreaterOrEqual };

    struct Term
    {
        Field field = Field::Text;
        Op op = Op::Contains;
        bool negated = false;
        QString value;           // as typed (unquoted)
        QRegularExpression regex; // Op::Regex, compiled once
        quint64 number = 0;      // Memory (KiB), Vcpus, Vlan id when numeric
        bool numeric = false;    // Vlan: value is an id
        QList<int> states;       // State: the Vigie::VmState values it names
    };

    VmQuery() = default;
    [[nodiscard]] static VmQuery parse(const QString &text);

    [[nodiscard]] const QList<Term> &terms() const { return m_terms; }
    [[nodiscard]] bool isEmpty() const { return m_terms.isEmpty(); }
    // What was left out and why (translated, one line per problem), empty when all is understood.
    [[nodiscard]] QStringList errors() const { return m_errors; }
    [[nodiscard]] bool hasErrors() const { return !m_errors.isEmpty(); }

    // The field keywords, in the order the completer offers them.
    [[nodiscard]] static QStringList fieldNames();
    // Tooltip text describing the syntax (translated).
    [[nodiscard]] static QString syntaxHelp();

private:
    QList<Term> m_terms;
    QStringList m_errors;
};

} // namespace Vigie
