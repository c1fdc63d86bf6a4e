#pragma once

#include "network/networkmismatch.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>

namespace Vigie {

class IsolationAudit;
class NetworkCorrelation;

// Where libvirt and the network controller disagree, one row per mismatch, following the
// added/changed/removed signals of the correlation (and of the isolation audit, when watched).
class NetworkMismatchModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { KindColumn, VmColumn, NicColumn, SwitchColumn, DetailsColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 120 }; // int, NetworkMismatch::Kind

    explicit NetworkMismatchModel(NetworkCorrelation *correlation, QObject *parent = nullptr);
    // Shows the ports of isolated tenants outside their groups too.
    void watch(IsolationAudit *audit);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] NetworkMismatch mismatch(int row) const { return m_rows.value(row); }

private:
    void add(const NetworkMismatch &mismatch);
    void change(const NetworkMismatch &mismatch);
    void remove(const NetworkMismatch &mismatch);
    [[nodiscard]] int rowOf(const QString &key) const { return m_rowOf.value(key, -1); }

    QList<NetworkMismatch> m_rows;
    // NetworkMismatch::key() -> row: a controller at odds with thousands of NICs tells thousands
    // of mismatches in a pass, and a scan per mismatch froze the window for seconds.
    QHash<QString, int> m_rowOf;
    QStringList m_keys; // by row
};

} // namespace Vigie
