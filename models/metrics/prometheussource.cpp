#include "prometheussource.h"

#include "backgroundpool.h"
#include "coredumps.h"
#include "libvirtexportermapping.h"
#include "logging.h"
#include "nodeexportermapping.h"
#include "prometheusresponse.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace Vigie {

PrometheusSource::PrometheusSource(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PrometheusSource::poll);
    connect(&m_parseWatcher, &QFutureWatcher<Parsed>::finished, this, &PrometheusSource::parsed);
}

PrometheusSource::~PrometheusSource()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
    // A parse in flight owns its copy of the answer and nothing of this object: it ends on the
    // pool by itself, its result unread (no wait on the GUI thread: a large answer takes seconds).
    m_parseWatcher.disconnect(this);
}

void PrometheusSource::setConfig(const Config &config)
{
    if (!config.password.isEmpty() || !config.bearerToken.isEmpty())
        keepSecretsOutOfCoreDumps();
    // Another server's scrapes are not comparable; the same server's (a new interval) are, and
    // forgetting them would deliver the window's older scrapes again.
    if (config.url != m_config.url) {
        m_tracks.clear();
        m_matched.clear();
        m_lastAnswer.invalidate();
    }
    m_config = config;
    m_config.intervalMs = std::clamp(m_config.intervalMs, 1000, 60'000);
    m_config.timeoutMs = std::max(m_config.timeoutMs, 100);
    m_timer.setInterval(m_config.intervalMs);
}

void PrometheusSource::setHosts(const QStringList &uris)
{
    m_hosts = uris;
    for (auto it = m_tracks.begin(); it != m_tracks.end();) {
        if (uris.contains(it.key()))
            ++it;
        else
            it = m_tracks.erase(it);
    }
}

void PrometheusSource::start()
{
    if (m_state == State::Stopped)
        setState(State::Waiting, {});
    m_timer.start();
    poll();
}

void PrometheusSource::stop()
{
    m_timer.stop();
    ++m_generation;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    setState(State::Stopped, {});
}

QString PrometheusSource::displayUrl(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
}

QHash<QString, QString> PrometheusConfig::parseTargets(const QStringList &lines)
{
    QHash<QString, QString> targets;
    for (const QString &line : lines) {
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const QString instance = line.left(eq).trimmed();
        const QString uri = line.mid(eq + 1).trimmed();
        if (!instance.isEmpty() && !uri.isEmpty())
            targets.insert(instance, uri);
    }
    return targets;
}

void PrometheusSource::poll()
{
    if (m_reply || m_parsing.isValid() || !m_config.url.isValid() || m_config.url.isEmpty())
        return;
    send(Query::Domains);
}

void PrometheusSource::send(Query query)
{
    // Raw samples since a little before the last answered query (3 s for the scrape's own
    // duration and the timers' jitter): each scrape arrives once at least, those already
    // delivered are skipped by time, and the answer stays small (its size is samples x series).
    // The first query looks 10 s back; one after failures catches up to a minute (more could
    // stay over the size bound for good: a too large answer restarts from 10 s).
    const int windowS = m_lastAnswer.isValid() ? int(std::clamp<qint64>(m_lastAnswer.elapsed() / 1000 + 3, 3, 60)) : 10;
    QUrl url = m_config.url;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/api/v1/query"));
    url.setUserInfo({});
    // Encoded here: a form decoder would read a bare '+' as a space.
    const QString expression = query == Query::Domains ? LibvirtExporterMapping::query(windowS) : NodeExporterMapping::query();
    url.setQuery(QStringLiteral("query=") + QString::fromLatin1(QUrl::toPercentEncoding(expression)));
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_config.timeoutMs);
    if (!m_config.bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.bearerToken.toUtf8());
    else if (!m_config.user.isEmpty())
        request.setRawHeader("Authorization", "Basic " + (m_config.user + QLatin1Char(':') + m_config.password).toUtf8().toBase64());
    m_tooLarge = false;
    m_query = query;
    if (query == Query::Domains)
        m_sent.start();
    QNetworkReply *reply = m_network->get(request);
    m_reply = reply;
    const auto tooLarge = [this, reply](qint64 bytes) {
        if (bytes > m_config.maxBodyBytes && !m_tooLarge) {
            m_tooLarge = true;
            reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, [reply, tooLarge] {
        tooLarge(reply->header(QNetworkRequest::ContentLengthHeader).toLongLong());
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [tooLarge](qint64 received, qint64) { tooLarge(received); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finished(reply); });
}

void PrometheusSource::finished(QNetworkReply *reply)
{
    reply->deleteLater();
    m_reply = nullptr;
    if (m_query == Query::Domains) // the figures say what the VMs' answer costs
        m_lastRoundTripMs = m_sent.elapsed();
    const QString server = displayUrl(m_config.url);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_tooLarge) {
        m_lastAnswer.invalidate();
        fail(tr("Prometheus at %1 answered more than %2 MB: answer dropped")
                 .arg(server).arg(m_config.maxBodyBytes / (1024 * 1024)));
        return;
    }
    if (status == 401 || status == 403) {
        fail(tr("Prometheus at %1 refused the credentials (HTTP %2)").arg(server).arg(status));
        return;
    }
    // Vigie aborts a reply only when it is too large (above) or when it stops (disconnected):
    // any other cancellation is the transfer timeout.
    if (reply->error() == QNetworkReply::OperationCanceledError || reply->error() == QNetworkReply::TimeoutError) {
        fail(tr("Prometheus at %1 did not answer within %2 s").arg(server).arg(double(m_config.timeoutMs) / 1000.0));
        return;
    }
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        fail(tr("Prometheus at %1 cannot be reached: %2").arg(server, reply->errorString()));
        return;
    }
    const QByteArray body = reply->readAll();
    if (m_query == Query::Domains)
        m_lastBodyBytes = body.size();
    // Parsing a few megabytes of JSON takes tens of milliseconds: off the GUI thread.
    m_parsing = runInBackground([body, query = m_query] {
        Parsed parsed;
        parsed.response = PrometheusResponse::parse(body);
        if (parsed.response.ok) {
            if (query == Query::Domains)
                parsed.targets = LibvirtExporterMapping::map(parsed.response.series);
            else
                parsed.nodes = NodeExporterMapping::map(parsed.response.series);
            parsed.response.series.clear();
        }
        return parsed;
    });
    m_parsingStatus = status;
    m_parsingGeneration = m_generation;
    m_parseWatcher.setFuture(m_parsing);
}

void PrometheusSource::parsed()
{
    const Parsed result = m_parsing.result();
    m_parsing = {};
    if (m_parsingGeneration != m_generation) // stopped meanwhile
        return;
    const PrometheusResponse &response = result.response;
    const int status = m_parsingStatus;
    const QString server = displayUrl(m_config.url);
    if (!response.ok && response.errorType != QLatin1String("invalid")) {
        fail(tr("Prometheus at %1 refused the query: %2 (%3)").arg(server, response.error.left(300), response.errorType.left(40)));
        return;
    }
    if (status != 200) {
        fail(tr("Prometheus at %1 answered HTTP %2").arg(server).arg(status));
        return;
    }
    if (!response.ok) {
        fail(tr("Prometheus at %1 answered something else than its API's JSON: %2").arg(server, response.error));
        return;
    }
    if (m_query == Query::Nodes) {
        deliverNodes(result.nodes);
        if (m_domainTargets == 0)
            setState(State::Ok, tr("Prometheus at %1 has no libvirt exporter series").arg(server));
        else if (m_nodesMatched.isEmpty())
            setState(State::Ok, tr("Prometheus at %1: %n host(s) matched; no node exporter matched, so the hosts' CPU and memory are not shown",
                                   nullptr, int(m_matched.size())).arg(server));
        else
            setState(State::Ok, tr("Prometheus at %1: %n host(s) matched", nullptr, int(m_matched.size())).arg(server));
        Q_EMIT polled();
        return;
    }
    m_lastAnswer = m_sent; // that query's time (one at a time: m_sent is still this one's)
    m_matched.clear();
    m_domainTargets = result.targets.size();
    std::optional<QHash<QString, QString>> located; // asked once, if a target needs it
    for (const ExporterTarget &target : result.targets) {
        const QString uri = hostFor(target, &located);
        if (uri.isEmpty())
            continue;
        m_matched.insert(target.instance, uri);
        deliver(uri, target);
    }
    // The hosts' own figures: a second, small query (five series per host).
    send(Query::Nodes);
}

std::optional<QString> PrometheusSource::namedHost(const QString &instance, const QString &libvirtUri) const
{
    if (const QString uri = m_config.targets.value(instance); !uri.isEmpty())
        return m_hosts.contains(uri) ? uri : QString(); // a host not connected: none, not guessed
    if (m_hosts.contains(libvirtUri))
        return libvirtUri;
    if (m_hosts.contains(instance))
        return instance;
    return std::nullopt;
}

QString PrometheusSource::hostForNode(const NodeTarget &target) const
{
    if (const auto named = namedHost(target.instance, target.libvirtUri))
        return *named;
    // The machine's name or address, without the exporter's port: the libvirt exporter's target
    // on the same machine, or a host whose URI names that machine.
    const auto machine = [](const QString &instance) {
        return QUrl(QStringLiteral("//") + instance).host();
    };
    const QString name = machine(target.instance);
    if (name.isEmpty())
        return {};
    QString found;
    bool ambiguous = false; // two hosts on that machine: none is chosen
    const auto consider = [&](const QString &uri) {
        ambiguous = ambiguous || (!found.isEmpty() && found != uri);
        found = uri;
    };
    for (auto it = m_matched.cbegin(); it != m_matched.cend(); ++it) {
        if (machine(it.key()) == name)
            consider(it.value());
    }
    if (found.isEmpty()) {
        for (const QString &uri : m_hosts) {
            if (QUrl(uri).host() == name)
                consider(uri);
        }
    }
    return ambiguous ? QString() : found;
}

void PrometheusSource::deliverNodes(const QList<NodeTarget> &nodes)
{
    m_nodesMatched.clear();
    for (const NodeTarget &node : nodes) {
        const QString uri = hostForNode(node);
        if (uri.isEmpty())
            continue;
        m_nodesMatched.insert(node.instance, uri);
        HostTrack &track = m_tracks[uri];
        if (node.stats.wallMs <= track.lastHostMs) // the same scrape as the last query's
            continue;
        MetricsTick tick;
        tick.hostUri = uri;
        tick.timeMs = node.stats.wallMs;
        tick.intervalMs = int(std::clamp<qint64>(track.lastHostMs ? node.stats.wallMs - track.lastHostMs : 0, m_config.intervalMs, 300'000));
        tick.host = track.deriver.updateHost(node.stats);
        tick.hasVms = false;
        track.lastHostMs = node.stats.wallMs;
        Q_EMIT metricsReady(tick);
    }
}

QString PrometheusSource::hostFor(const ExporterTarget &target, std::optional<QHash<QString, QString>> *located) const
{
    if (const auto named = namedHost(target.instance, target.libvirtUri))
        return *named;
    if (!m_locator || target.scrapes.isEmpty())
        return {};
    if (!*located)
        *located = m_locator();
    QHash<QString, int> votes;
    for (const RawVmStats &vm : target.scrapes.last()) {
        const QString uri = (*located)->value(vm.uuid);
        if (m_hosts.contains(uri))
            ++votes[uri];
    }
    QString best;
    int bestVotes = 0;
    for (auto it = votes.cbegin(); it != votes.cend(); ++it) {
        if (it.value() > bestVotes || (it.value() == bestVotes && it.key() < best)) {
            best = it.key();
            bestVotes = it.value();
        }
    }
    return best;
}

void PrometheusSource::deliver(const QString &uri, const ExporterTarget &target)
{
    HostTrack &track = m_tracks[uri];
    for (auto it = target.scrapes.cbegin(); it != target.scrapes.cend(); ++it) {
        const qint64 ms = it.key();
        if (ms <= track.lastMs)
            continue;
        MetricsTick tick;
        tick.hostUri = uri;
        tick.timeMs = ms;
        // Scrapes may be further apart than the queries: staleness counts in the longer.
        tick.intervalMs = int(std::clamp<qint64>(track.lastMs ? ms - track.lastMs : 0, m_config.intervalMs, 300'000));
        tick.host.timeMs = ms;
        tick.hasHost = false; // the libvirt exporter has none: the node exporter's come apart
        tick.vms = track.deriver.updateAll(it.value());
        track.lastMs = ms;
        Q_EMIT metricsReady(tick);
    }
}

void PrometheusSource::fail(const QString &message)
{
    qCWarning(lcMetrics) << message;
    setState(State::Failing, message);
    Q_EMIT polled();
}

void PrometheusSource::setState(State state, const QString &message)
{
    if (state == m_state && message == m_error)
        return;
    m_state = state;
    m_error = message;
    Q_EMIT stateChanged(state, message);
}

} // namespace Vigie
