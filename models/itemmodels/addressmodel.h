#pragma once

#include "inventory/vminfo.h"
#include "network/subnetplan.h"

#include <QAbstractTableModel>
#include <QList>
#include <QSet>

namespace Vigie {

class NetworkController;

// The addresses of one logical switch (a VLAN), in order: the network address, gateway, DHCP
// server, excluded ranges, each used address with the VM, NIC, port and owner that has it, and
// the free ranges between them summarised ("10.50.0.20–10.50.0.254", 235 free), so a /16 or an
// IPv6 /64 is a handful of rows. Follows the northbound database: a change set touching the
// switch, its ports or DHCP options, or the NIC matches, is diffed into precise row inserts,
// removals and dataChanged (an address assigned splits one free range: a few rows change).
class AddressModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { AddressColumn, StatusColumn, VmColumn, NicColumn, PortColumn, OwnerColumn, ColumnCount };

    explicit AddressModel(NetworkController *controller, QObject *parent = nullptr);

    // The switch shown (its uuid), or none.
    void setSwitch(const QString &switchUuid);
    [[nodiscard]] QString switchUuid() const { return m_switch; }
    // The switch's addressing in one line: subnet, gateway, exclusions, DHCP, counts; or why
    // there is nothing to show.
    [[nodiscard]] QString summary() const { return m_summary; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    [[nodiscard]] SubnetPlan::Span spanAt(int row) const;
    // The VM NIC that has the address of ROW (a used address of a VM's port), or an invalid key.
    [[nodiscard]] VmKey vmAt(int row) const;
    [[nodiscard]] QString macAt(int row) const;

    // Text of a span's size: "235 free", "about 2^64 free" (an IPv6 subnet).
    [[nodiscard]] static QString freeText(quint64 count, bool ipv6);

public Q_SLOTS:
    // Recomputes the switch's addresses and applies the difference.
    void refresh();

Q_SIGNALS:
    void summaryChanged(const QString &summary);

private:
    struct Row
    {
        SubnetPlan::Span span;
        QString portUuid;
        QString portName;
        QString vmName;
        VmKey vm;
        QString mac;
        QString owner;
        friend bool operator==(const Row &, const Row &) = default;
    };
    [[nodiscard]] QList<Row> compute(QString *summary);
    void noteSwitch(const QString &switchUuid);
    void notePort(const QString &portUuid, const QString &switchUuid);
    void applyIfDirty();

    NetworkController *m_controller;
    QString m_switch;
    QList<Row> m_rows;
    QSet<QString> m_ports; // the ports of the switch at the last refresh
    QString m_summary;
    bool m_ipv6 = false;
    bool m_dirty = false;
};

} // namespace Vigie
