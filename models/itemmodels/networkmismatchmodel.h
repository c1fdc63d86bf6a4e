#pragma once

#include "network/networkmismatch.h"

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

namespace Vigie {

class NetworkCorrelation;

// Where libvirt and the network controller disagree, one row per mismatch, following the
// correlation's added/changed/removed signals.
class NetworkMismatchModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { KindColumn, VmColumn, NicColumn, SwitchColumn, DetailsColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 120 }; // int, NetworkMismatch::Kind

    explicit NetworkMismatchModel(NetworkCorrelation *correlation, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] NetworkMismatch mismatch(int row) const { return m_rows.value(row); }

private:
    void add(const NetworkMismatch &mismatch);
    void change(const NetworkMismatch &mismatch);
    void remove(const NetworkMismatch &mismatch);
    [[nodiscard]] int rowOf(const QString &key) const;

    QPointer<NetworkCorrelation> m_correlation;
    QList<NetworkMismatch> m_rows;
};

} // namespace Vigie
