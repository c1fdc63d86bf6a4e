#pragma once

#include "inventory/vminfo.h"
#include "topologystyle.h"

#include <QCoreApplication>
#include <QGraphicsItem>

namespace Vigie {

// A VM on its way to this host, drawn from its migration job's progress. The destination's own
// copy of a live migration is not listed (libvirt's paused half of it): without this the host
// would show nothing of what it is about to take. Dashed, in a chip's place and size, with the
// job's percentage; not a VM to act on (neither selectable nor dragged: a drop on it is a drop on
// its host). The scene removes it when the job ends: the VM is then listed here, or stays where
// it was.
class ArrivalGhostItem : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(ArrivalGhostItem)

public:
    // SOURCE_VM: the migrating VM, on its source.
    ArrivalGhostItem(const VmKey &sourceVm, QGraphicsItem *host);

    enum { Type = TopologyStyle::ArrivalGhostType };
    [[nodiscard]] int type() const override { return Type; }

    [[nodiscard]] VmKey sourceVm() const { return m_sourceVm; }
    // The VM's name, its source host's name and how far the job is (0 to 100).
    void setProgress(const QString &vmName, const QString &sourceName, double percent);
    [[nodiscard]] QString vmName() const { return m_vmName; }
    [[nodiscard]] int percent() const { return m_percent; }
    void setAnimationPhase(int phase);

    [[nodiscard]] QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    VmKey m_sourceVm;
    QString m_vmName;
    QString m_sourceName;
    int m_percent = 0;
    int m_animationPhase = 0;
};

} // namespace Vigie
