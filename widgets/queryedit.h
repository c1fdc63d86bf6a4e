#pragma once

#include <QLineEdit>

class QCompleter;
class QStringListModel;

namespace Vigie {

class Inventory;

// A filter box for VmQuery text: completes field names and the inventory's values (hosts,
// tenants, states, VLANs, tags) for the word under the cursor, refuses pastes longer than
// VmQuery::MaxLength, and when part of the text cannot be understood shows it: a red frame and
// a warning icon whose tooltip says what is wrong (that part is left out of the search).
class QueryEdit : public QLineEdit
{
    Q_OBJECT

public:
    QueryEdit(const Inventory *inventory, const QString &placeholder, QWidget *parent = nullptr);

    // What the last text could not use, one line per problem; empty when all is understood.
    [[nodiscard]] QStringList problems() const { return m_problems; }
    // The completions offered for the word being typed (for tests and the popup).
    [[nodiscard]] QStringList completions() const;

Q_SIGNALS:
    // What the text leaves out changed (empty: everything is understood again).
    void problemsChanged(const QStringList &problems);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void check(const QString &text);
    void complete();
    void insertCompletion(const QString &completion);
    [[nodiscard]] QStringList candidates() const;
    [[nodiscard]] qsizetype wordStart() const;

    const Inventory *m_inventory;
    QCompleter *m_completer;
    QStringListModel *m_model;
    QAction *m_warning;
    QStringList m_problems;
    bool m_candidatesDirty = true;
};

} // namespace Vigie
