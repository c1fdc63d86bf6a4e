#pragma once

#include "libvirtexportermapping.h"
#include "nodeexportermapping.h"
#include "metricsample.h"
#include "prometheusconfig.h"
#include "prometheusresponse.h"
#include "ratederiver.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace Vigie {

// Metrics from a Prometheus server instead of polling each host: every interval one instant
// query (LibvirtExporterMapping::query) brings the raw samples that prometheus-libvirt-exporter
// scraped since the last one; they become the same RawVmStats, go through the same RateDeriver
// and leave as the same MetricsTick as the direct polling's, so every view works unchanged.
//
// Each scrape target (instance) is matched to a connected host: the configured instance -> URI
// table first, then the target's "libvirt_uri" label (set in the scrape configuration), then
// the instance itself if it is a connected URI, then the host the inventory places most of the
// target's VMs on (the locator). Targets matching no connected host are ignored. The hosts' CPU
// and memory come from prometheus-node-exporter (NodeExporterMapping), its targets matched the
// same way, then by machine: the libvirt exporter's target on the same machine, or a host whose
// URI names it.
//
// Asynchronous on the GUI thread, one request at a time, its answer parsed on a pool thread;
// bounded: a reply larger than maxBodyBytes or slower than timeoutMs is dropped with a clear
// error.
class PrometheusSource : public QObject
{
    Q_OBJECT

public:
    using Config = PrometheusConfig;
    enum class State { Stopped, Waiting, Ok, Failing };
    Q_ENUM(State)
    using VmLocator = std::function<QHash<QString, QString>()>; // VM uuid -> host URI

    explicit PrometheusSource(QObject *parent = nullptr);
    ~PrometheusSource() override;

    void setConfig(const Config &config);
    [[nodiscard]] const Config &config() const { return m_config; }
    // The hosts whose metrics come from here (connected, measured: not the demo's).
    void setHosts(const QStringList &uris);
    void setVmLocator(VmLocator locator) { m_locator = std::move(locator); }
    void start();
    void stop();
    // One query now (the timer's, and the tests').
    void poll();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString statusMessage() const { return m_error; }
    // The targets matched by the last answer: instance -> host URI.
    [[nodiscard]] QHash<QString, QString> matchedTargets() const { return m_matched; }
    // The node exporters matched by the last answer (the hosts' CPU and memory): instance -> URI.
    [[nodiscard]] QHash<QString, QString> matchedNodes() const { return m_nodesMatched; }
    // Of the last libvirt exporter answer (the node exporters' is five samples per host).
    [[nodiscard]] qint64 lastBodyBytes() const { return m_lastBodyBytes; }
    [[nodiscard]] qint64 lastRoundTripMs() const { return m_lastRoundTripMs; }

    // "http://host:9090" for messages: never the credentials.
    [[nodiscard]] static QString displayUrl(const QUrl &url);

Q_SIGNALS:
    void metricsReady(const Vigie::MetricsTick &tick);
    // On every change of state or message (the error when Failing, a summary when Ok).
    void stateChanged(Vigie::PrometheusSource::State state, const QString &message);
    // After each answer (good or bad) has been handled.
    void polled();

private:
    // Each poll asks the libvirt exporters' series, then the node exporters' (one at a time).
    enum class Query { Domains, Nodes };
    struct Parsed
    {
        PrometheusResponse response; // without its series: they are in targets or nodes
        QList<ExporterTarget> targets;
        QList<NodeTarget> nodes;
    };
    void send(Query query);
    void finished(QNetworkReply *reply);
    void parsed();
    void fail(const QString &message);
    void setState(State state, const QString &message);
    [[nodiscard]] QString hostFor(const ExporterTarget &target, std::optional<QHash<QString, QString>> *located) const;
    void deliver(const QString &uri, const ExporterTarget &target);
    // The host a target names (the configured table, its libvirt_uri label, an instance that is a
    // URI); nullopt when none of them says.
    [[nodiscard]] std::optional<QString> namedHost(const QString &instance, const QString &libvirtUri) const;
    [[nodiscard]] QString hostForNode(const NodeTarget &target) const;
    void deliverNodes(const QList<NodeTarget> &nodes);

    struct HostTrack
    {
        RateDeriver deriver;
        qint64 lastMs = 0;     // of the last libvirt exporter scrape delivered
        qint64 lastHostMs = 0; // of the last node exporter scrape delivered
    };

    Config m_config;
    QNetworkAccessManager *m_network; // child
    QPointer<QNetworkReply> m_reply;
    bool m_tooLarge = false;
    Query m_query = Query::Domains; // of the request in flight or being parsed
    QElapsedTimer m_sent; // the last domains query's
    QElapsedTimer m_lastAnswer; // when the last query answered with series was sent
    QFuture<Parsed> m_parsing;
    QFutureWatcher<Parsed> m_parseWatcher;
    int m_parsingStatus = 0;
    quint64 m_generation = 0; // one more at each stop: an answer parsed meanwhile is dropped
    quint64 m_parsingGeneration = 0;
    QTimer m_timer{this};
    QStringList m_hosts;
    QHash<QString, HostTrack> m_tracks; // by host URI
    QHash<QString, QString> m_matched;      // libvirt exporter instance -> host URI
    QHash<QString, QString> m_nodesMatched; // node exporter instance -> host URI
    qsizetype m_domainTargets = 0;          // in the last domains answer
    VmLocator m_locator;
    State m_state = State::Stopped;
    QString m_error;
    qint64 m_lastBodyBytes = 0;
    qint64 m_lastRoundTripMs = 0;
};

} // namespace Vigie
