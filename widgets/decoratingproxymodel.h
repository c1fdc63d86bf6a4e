#pragma once

#include <QIdentityProxyModel>

namespace Vigie {

// Adds what item models below the widgets layer cannot: state icons on the first column (VMs and
// hosts), state colours in the state column, and red/amber text for error/warning log records.
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
