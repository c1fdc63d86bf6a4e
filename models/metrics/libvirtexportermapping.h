#pragma once

#include "prometheusresponse.h"
#include "rawstats.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Vigie {

// What one scrape target of prometheus-libvirt-exporter (one hypervisor) reported, scrape by
// scrape: the exporter's series turned back into the RawVmStats the direct polling builds.
struct ExporterTarget
{
    QString instance;   // Prometheus's target label: the exporter's host:port
    QString libvirtUri; // the target's "libvirt_uri" label, when the scrape configuration sets one
    // The exporter's libvirt_up at its last scrape: false when it could not read libvirt.
    std::optional<bool> libvirtUp;
    QMap<qint64, QList<RawVmStats>> scrapes; // by scrape time (ms since the epoch), oldest first
                                             // (none when no VM runs on the host)
};

// The series of Debian's prometheus-libvirt-exporter (1.x) that Vigie reads, and how they map
// onto RawVmStats. Series carry labels domain, uuid, and per device target_device; Prometheus
// adds instance and job. Every series of one scrape has the same timestamp. The exporter lists
// running domains only, so a host with none has only its libvirt_up series.
class LibvirtExporterMapping
{
public:
    // The instant query selecting every series Vigie reads, raw samples over the last WINDOW_S
    // seconds (a range selector keeps each sample's own scrape time).
    [[nodiscard]] static QString query(int windowS);
    // The metric names, and what each becomes (for the README and the tests).
    [[nodiscard]] static QStringList metricNames();
    // Groups the series by target (instance) and scrape time; sums device counters per VM.
    // Samples that are not finite, negative, or too large for a counter are left out.
    [[nodiscard]] static QList<ExporterTarget> map(const QList<PrometheusSeries> &series);
};

} // namespace Vigie
