#pragma once

#include <QIdentityProxyModel>

namespace Vigie {

// Adds what item models below the widgets layer cannot: state icons on the first column (VMs and
// hosts), state colours in the state column, and red/amber text for error/warning log records.
// It also shows the models' text as text: display strings are bounded (a view measures and draws
// at most DisplayText::MaxLength characters, however long a title is), and the plain-text
// tooltips of the item models become escaped rich text, so that a VM titled "<b>x</b>" or a
// libvirt error with markup shows as typed.
class DecoratingProxyModel : public QIdentityProxyModel
{
    Q_OBJECT

public:
    explicit DecoratingProxyModel(QObject *parent = nullptr);

    // The column whose text is coloured by state; -1 for none.
    void setStateColumn(int column) { m_stateColumn = column; }

    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    int m_stateColumn = -1;
};

} // namespace Vigie
