#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "metrics/libvirtexportermapping.h"
#include "metrics/metricsstore.h"
#include "metrics/nodeexportermapping.h"
#include "metrics/prometheusresponse.h"
#include "metrics/prometheussource.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include <cmath>

using namespace Vigie;

namespace {

const QString Uuid1 = QStringLiteral("6695eb01-f6a4-8304-79aa-97f2502e193f");
const QString Uuid2 = QStringLiteral("0c5cd5a7-3b6e-4bf7-9b0e-2c1ee8b5d6a1");

// One series as Prometheus 2.53 writes it in a matrix (captured from a real server scraping
// prometheus-libvirt-exporter: labels domain and uuid from the exporter, target_device and
// source_* per device, instance and job from Prometheus, libvirt_uri from the scrape config).
QByteArray series(const QString &name, const QString &uuid, const QString &domain,
                  const QList<std::pair<QByteArray, QByteArray>> &values, const QString &instance = QStringLiteral("127.0.0.1:19177"),
                  const QString &device = {})
{
    QByteArray labels = "\"__name__\":\"" + name.toUtf8() + "\",\"domain\":\"" + domain.toUtf8() + "\",\"instance\":\""
                        + instance.toUtf8() + "\",\"job\":\"libvirt\"";
    if (!device.isEmpty())
        labels += ",\"source_file\":\"/var/lib/libvirt/images/" + device.toUtf8() + ".qcow2\",\"target_device\":\"" + device.toUtf8() + "\"";
    labels += ",\"uuid\":\"" + uuid.toUtf8() + "\"";
    QByteArray points;
    for (const auto &[t, v] : values)
        points += (points.isEmpty() ? "" : ",") + QByteArray("[") + t + ",\"" + v + "\"]";
    return "{\"metric\":{" + labels + "},\"values\":[" + points + "]}";
}

// A request's header by name; Qt 6.7+ writes header names in lower case.
QByteArray header(const QByteArray &request, const QByteArray &name)
{
    for (const QByteArray &line : request.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray matrix(const QList<QByteArray> &items)
{
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + items.join(',') + "]}}";
}

// Two scrapes one second apart of a 2-vCPU guest that used 0.5 s of CPU in between (25 %), with
// two disks, and a shut-off guest.
QByteArray twoScrapes(const QString &instance = QStringLiteral("127.0.0.1:19177"))
{
    const QByteArray t0 = "1796545692.721", t1 = "1796545693.721";
    return matrix({
        series(QStringLiteral("libvirt_domain_info_cpu_time_seconds_total"), Uuid1, QStringLiteral("web1"), {{t0, "10.25"}, {t1, "10.75"}}, instance),
        series(QStringLiteral("libvirt_domain_info_virtual_cpus"), Uuid1, QStringLiteral("web1"), {{t0, "2"}, {t1, "2"}}, instance),
        series(QStringLiteral("libvirt_domain_info_memory_usage_bytes"), Uuid1, QStringLiteral("web1"), {{t0, "1073741824"}, {t1, "1073741824"}}, instance),
        series(QStringLiteral("libvirt_domain_state_code"), Uuid1, QStringLiteral("web1"), {{t0, "1"}, {t1, "1"}}, instance),
        series(QStringLiteral("libvirt_domain_block_stats_read_bytes_total"), Uuid1, QStringLiteral("web1"), {{t0, "1000"}, {t1, "3000"}}, instance, QStringLiteral("vda")),
        series(QStringLiteral("libvirt_domain_block_stats_read_bytes_total"), Uuid1, QStringLiteral("web1"), {{t0, "500"}, {t1, "1500"}}, instance, QStringLiteral("vdb")),
        series(QStringLiteral("libvirt_domain_info_cpu_time_seconds_total"), Uuid2, QStringLiteral("db1"), {{t0, "0"}, {t1, "0"}}, instance),
        series(QStringLiteral("libvirt_domain_state_code"), Uuid2, QStringLiteral("db1"), {{t0, "5"}, {t1, "5"}}, instance),
        // Not read by Vigie: ignored.
        series(QStringLiteral("libvirt_domain_interface_stats_receive_drops_total"), Uuid1, QStringLiteral("web1"), {{t0, "0"}, {t1, "0"}}, instance, QStringLiteral("vnet0")),
    });
}

// The node exporters' answer as Prometheus 2.53 gives it for NodeExporterMapping::query(): one
// vector sample per figure and target, labelled instance (and libvirt_uri when the scrape
// configuration sets it) and vigie, at the query's evaluation time; the scrape's own time is the
// value of the scrape_time figure.
struct NodeFigures
{
    QString instance;
    QString libvirtUri;
    QByteArray busy, idle, total, free, time;
};

QByteArray nodeVector(const QList<NodeFigures> &targets, const QByteArray &evaluatedAt = "1796545699.000")
{
    QList<QByteArray> items;
    for (const NodeFigures &t : targets) {
        const QList<std::pair<const char *, QByteArray>> figures{
            {"cpu_busy", t.busy}, {"cpu_idle", t.idle}, {"memory_total", t.total}, {"memory_free", t.free}, {"scrape_time", t.time}};
        for (const auto &[figure, value] : figures) {
            if (value.isEmpty())
                continue;
            QByteArray labels = "\"instance\":\"" + t.instance.toUtf8() + "\"";
            if (!t.libvirtUri.isEmpty())
                labels += ",\"libvirt_uri\":\"" + t.libvirtUri.toUtf8() + "\"";
            labels += ",\"vigie\":\"" + QByteArray(figure) + "\"";
            items.append("{\"metric\":{" + labels + "},\"value\":[" + evaluatedAt + ",\"" + value + "\"]}");
        }
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + items.join(',') + "]}}";
}

// A minimal HTTP/1.1 server answering every request with the canned response (or never).
class FakePrometheus : public QObject
{
public:
    FakePrometheus()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    m_buffer[socket] += socket->readAll();
                    if (!m_buffer[socket].contains("\r\n\r\n"))
                        return;
                    const QByteArray request = m_buffer.take(socket);
                    requests.append(request);
                    if (hang)
                        return;
                    // The node exporters' query (its expression names node_cpu_seconds_total).
                    const bool nodes = request.left(request.indexOf('\n')).contains("node_cpu_seconds_total");
                    const QByteArray &answer = nodes ? nodeBody : body;
                    QByteArray head = "HTTP/1.1 " + QByteArray::number(nodes ? 200 : status) + " X\r\nContent-Type: application/json\r\n";
                    if (!omitLength)
                        head += "Content-Length: " + QByteArray::number(answer.size()) + "\r\n";
                    head += "Connection: close\r\n\r\n";
                    socket->write(head);
                    socket->write(answer);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    [[nodiscard]] QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/prom/").arg(m_server.serverPort())); }

    int status = 200;
    QByteArray body;
    // The answer to the node exporters' query: none by default.
    QByteArray nodeBody = R"({"status":"success","data":{"resultType":"vector","result":[]}})";
    bool omitLength = false;
    bool hang = false;
    QList<QByteArray> requests;

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffer;
};

} // namespace

class tst_PrometheusSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void parseSpecialValues();
    void mapping();
    void queryMatchesExporterNames();
    void ticksFromTwoScrapes();
    void scrapesDeliveredOnce();
    void matchingOrder();
    void authHeaders();
    void errors_data();
    void errors();
    void timeout();
    void unreachable();
    void sessionManagerSwitchesSource();
    void hostWithoutVmsIsMatched();
    void nodeMapping();
    void hostFiguresFromNodeExporter();
    void nodeMatching();
};

void tst_PrometheusSource::parse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<int>("seriesCount");

    // Real answers of Prometheus 2.53.
    QTest::newRow("vector") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"libvirt_domain_state_code","domain":"test","instance":"127.0.0.1:19177","job":"libvirt","libvirt_uri":"test:///default","uuid":"6695eb01-f6a4-8304-79aa-97f2502e193f"},"value":[1796545693.081,"1"]}]}})")
                            << true << QString() << 1;
    QTest::newRow("matrix") << twoScrapes() << true << QString() << 9;
    QTest::newRow("empty") << QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[]}})") << true << QString() << 0;
    QTest::newRow("bad_data") << QByteArray(R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:6: parse error: unclosed left parenthesis"})")
                              << false << QStringLiteral("bad_data") << 0;
    QTest::newRow("timeout") << QByteArray(R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})")
                             << false << QStringLiteral("timeout") << 0;
    QTest::newRow("scalar") << QByteArray(R"({"status":"success","data":{"resultType":"scalar","result":[1796545693.081,"1"]}})") << true << QString() << 1;
    // Hostile or broken.
    QTest::newRow("not json") << QByteArray("<html>502 Bad Gateway</html>") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("empty body") << QByteArray() << false << QStringLiteral("invalid") << 0;
    QTest::newRow("array") << QByteArray("[1,2,3]") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("no status") << QByteArray(R"({"data":{}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("unknown type") << QByteArray(R"({"status":"success","data":{"resultType":"histogram","result":[]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("result not array") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":{}}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("value as number") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1796545693.081,1]}]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("time as string") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":["1796545693.081","1"]}]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("value not a number") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1796545693.081,"lots"]}]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("label not string") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"uuid":7},"value":[1796545693.081,"1"]}]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("negative time") << QByteArray(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[-5,"1"]}]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("three-item sample") << QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1",3]]}]}})") << false << QStringLiteral("invalid") << 0;
    QTest::newRow("deep nesting") << (QByteArray(100000, '[') + QByteArray(100000, ']')) << false << QStringLiteral("invalid") << 0;
}

void tst_PrometheusSource::parse()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QString, errorType);
    QFETCH(int, seriesCount);
    const PrometheusResponse r = PrometheusResponse::parse(body);
    QCOMPARE(r.ok, ok);
    QCOMPARE(r.errorType, errorType);
    QCOMPARE(r.series.size(), seriesCount);
    if (!ok)
        QVERIFY(!r.error.isEmpty());
}

void tst_PrometheusSource::parseSpecialValues()
{
    const PrometheusResponse r = PrometheusResponse::parse(
        R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"uuid":"a"},"values":[[1.5,"NaN"],[2.5,"+Inf"],[3.5,"-Inf"],[4.5,"1e3"]]}]}})");
    QVERIFY(r.ok);
    const auto &p = r.series.first().points;
    QCOMPARE(p.size(), 4);
    QCOMPARE(p[0].first, 1500);
    QVERIFY(std::isnan(p[0].second));
    QVERIFY(std::isinf(p[1].second) && p[1].second > 0);
    QVERIFY(std::isinf(p[2].second) && p[2].second < 0);
    QCOMPARE(p[3].second, 1000.0);

    // Such values never reach the counters: no value, never zero.
    const PrometheusResponse cpu = PrometheusResponse::parse(matrix({
        series(QStringLiteral("libvirt_domain_info_cpu_time_seconds_total"), Uuid1, QStringLiteral("a"), {{"1", "NaN"}, {"2", "+Inf"}, {"3", "-1"}, {"4", "1e30"}, {"5", "2"}}),
    }));
    const QList<ExporterTarget> targets = LibvirtExporterMapping::map(cpu.series);
    QCOMPARE(targets.size(), 1);
    QCOMPARE(targets.first().scrapes.size(), 1);
    QCOMPARE(targets.first().scrapes.firstKey(), 5000);
    QCOMPARE(*targets.first().scrapes.first().first().cpuTimeNs, quint64(2'000'000'000));
}

void tst_PrometheusSource::mapping()
{
    const PrometheusResponse r = PrometheusResponse::parse(twoScrapes());
    QVERIFY(r.ok);
    const QList<ExporterTarget> targets = LibvirtExporterMapping::map(r.series);
    QCOMPARE(targets.size(), 1);
    const ExporterTarget &t = targets.first();
    QCOMPARE(t.instance, QStringLiteral("127.0.0.1:19177"));
    QCOMPARE(t.scrapes.size(), 2);
    QCOMPARE(t.scrapes.firstKey(), qint64(1796545692721));
    const QList<RawVmStats> second = t.scrapes.last();
    QCOMPARE(second.size(), 2);
    const RawVmStats &web = second.at(0).uuid == Uuid1 ? second.at(0) : second.at(1);
    const RawVmStats &db = second.at(0).uuid == Uuid1 ? second.at(1) : second.at(0);
    QCOMPARE(web.wallMs, qint64(1796545693721));
    QCOMPARE(web.monotonicNs, qint64(1796545693721) * 1'000'000);
    QCOMPARE(*web.cpuTimeNs, quint64(10'750'000'000));
    QCOMPARE(*web.vcpus, 2u);
    QCOMPARE(*web.balloonCurrentKiB, quint64(1024 * 1024));
    QCOMPARE(web.state, 1);
    QCOMPARE(web.blockDevices, 2);
    QCOMPARE(*web.readBytes, quint64(4500)); // vda + vdb
    QVERIFY(!web.writeBytes);
    QVERIFY(!web.rxBytes); // no interface series: no value, not zero
    QCOMPARE(web.netDevices, 0);
    QCOMPARE(db.state, 5);
    QVERIFY(!db.hasProcess());
}

void tst_PrometheusSource::queryMatchesExporterNames()
{
    // The query's regular expression selects exactly the names the mapping reads.
    const QString query = LibvirtExporterMapping::query(15);
    QVERIFY(query.endsWith(QLatin1String("[15s]")));
    const QString pattern = query.section(QLatin1Char('"'), 1, 1);
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    QVERIFY(re.isValid());
    const QStringList names = LibvirtExporterMapping::metricNames();
    QCOMPARE(names.size(), 13);
    for (const QString &name : names)
        QVERIFY2(re.match(name).hasMatch(), qPrintable(name));
    QVERIFY(!re.match(QStringLiteral("libvirt_domain_interface_stats_receive_drops_total")).hasMatch());
}

void tst_PrometheusSource::ticksFromTwoScrapes()
{
    FakePrometheus server;
    server.body = twoScrapes();
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    config.intervalMs = 1000;
    config.targets.insert(QStringLiteral("127.0.0.1:19177"), QStringLiteral("qemu:///h1"));
    source.setConfig(config);
    source.setHosts({QStringLiteral("qemu:///h1")});
    QSignalSpy ticks(&source, &PrometheusSource::metricsReady);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(source.state(), PrometheusSource::State::Ok);
    QCOMPARE(ticks.size(), 2);
    const auto tick = ticks.at(1).at(0).value<MetricsTick>();
    QCOMPARE(tick.hostUri, QStringLiteral("qemu:///h1"));
    QCOMPARE(tick.timeMs, qint64(1796545693721));
    QCOMPARE(tick.intervalMs, 1000);
    QCOMPARE(tick.vms.size(), 2);
    const VmSampleUpdate &web = tick.vms.at(0).uuid == Uuid1 ? tick.vms.at(0) : tick.vms.at(1);
    QCOMPARE(*web.sample.value(VmMetric::CpuPercent), 25.0);
    QCOMPARE(*web.sample.value(VmMetric::DiskReadBytesPerSec), 3000.0);
    QVERIFY(!web.sample.value(VmMetric::NetRxBytesPerSec));
    QVERIFY(web.running);
    QCOMPARE(source.matchedTargets().value(QStringLiteral("127.0.0.1:19177")), QStringLiteral("qemu:///h1"));

    // The requests: GET <prefix>/api/v1/query with the libvirt exporter's names, then the node
    // exporter's, no credentials.
    QCOMPARE(server.requests.size(), 2);
    const auto queryOf = [](const QByteArray &request) {
        const QByteArray target = request.split(' ').at(1);
        return QUrl::fromPercentEncoding(target.mid(target.indexOf('=') + 1));
    };
    for (const QByteArray &request : std::as_const(server.requests)) {
        QVERIFY(request.startsWith("GET /prom/api/v1/query?query="));
        QVERIFY(header(request, "Authorization").isEmpty());
        QCOMPARE(header(request, "Accept"), QByteArray("application/json"));
    }
    QCOMPARE(queryOf(server.requests.at(0)), LibvirtExporterMapping::query(10)); // twice the interval and 5 s, at least 10 s
    QCOMPARE(queryOf(server.requests.at(1)), NodeExporterMapping::query());
    // No node exporter: the VM ticks carry no host figures, and the state says so.
    QVERIFY(!tick.hasHost);
    QVERIFY(tick.hasVms);
    QVERIFY(source.matchedNodes().isEmpty());
    QVERIFY2(source.statusMessage().contains(QLatin1String("no node exporter matched")), qPrintable(source.statusMessage()));
}

void tst_PrometheusSource::scrapesDeliveredOnce()
{
    // The query's window overlaps the previous one: a scrape already delivered is not again.
    FakePrometheus server;
    server.body = twoScrapes();
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    config.targets.insert(QStringLiteral("127.0.0.1:19177"), QStringLiteral("qemu:///h1"));
    source.setConfig(config);
    source.setHosts({QStringLiteral("qemu:///h1")});
    QSignalSpy ticks(&source, &PrometheusSource::metricsReady);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    QVERIFY(polled.wait());
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(server.requests.size(), 4); // each poll: the libvirt exporter's query, the node exporter's
    QCOMPARE(ticks.size(), 2);
}

void tst_PrometheusSource::matchingOrder()
{
    FakePrometheus server;
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    QSignalSpy polled(&source, &PrometheusSource::polled);
    const auto matched = [&](const QByteArray &body) {
        server.body = body;
        source.setConfig(config);
        source.poll();
        [&] { QVERIFY(polled.wait()); }();
        return source.matchedTargets();
    };
    source.setHosts({QStringLiteral("qemu:///h1"), QStringLiteral("qemu:///h2")});

    // No table, no label, no locator: nothing matched.
    QVERIFY(matched(twoScrapes()).isEmpty());
    // The inventory's placement of the target's VMs.
    source.setVmLocator([] { return QHash<QString, QString>{{Uuid1, QStringLiteral("qemu:///h2")}, {Uuid2, QStringLiteral("qemu:///h2")}}; });
    QCOMPARE(matched(twoScrapes()).value(QStringLiteral("127.0.0.1:19177")), QStringLiteral("qemu:///h2"));
    // An instance that is the URI itself (relabelled so in the scrape configuration).
    QCOMPARE(matched(twoScrapes(QStringLiteral("qemu:///h1"))).value(QStringLiteral("qemu:///h1")), QStringLiteral("qemu:///h1"));
    // The configured table wins over the inventory.
    config.targets.insert(QStringLiteral("127.0.0.1:19177"), QStringLiteral("qemu:///h1"));
    QCOMPARE(matched(twoScrapes()).value(QStringLiteral("127.0.0.1:19177")), QStringLiteral("qemu:///h1"));
    // A table entry for a host that is not connected: ignored, not guessed.
    config.targets.insert(QStringLiteral("127.0.0.1:19177"), QStringLiteral("qemu:///gone"));
    QVERIFY(matched(twoScrapes()).isEmpty());

    QCOMPARE(PrometheusConfig::parseTargets({QStringLiteral(" 10.0.0.1:9177 = qemu+ssh://h1/system "), QStringLiteral("junk"), QStringLiteral("=x")}),
             (QHash<QString, QString>{{QStringLiteral("10.0.0.1:9177"), QStringLiteral("qemu+ssh://h1/system")}}));
}

void tst_PrometheusSource::authHeaders()
{
    FakePrometheus server;
    server.body = twoScrapes();
    PrometheusSource source;
    QSignalSpy polled(&source, &PrometheusSource::polled);
    PrometheusSource::Config config;
    config.url = server.url();
    config.user = QStringLiteral("vigie");
    config.password = QStringLiteral("s3cret:x");
    source.setConfig(config);
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(header(server.requests.last(), "Authorization"), QByteArray("Basic " + QByteArray("vigie:s3cret:x").toBase64()));

    config.bearerToken = QStringLiteral("tok.en");
    source.setConfig(config);
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(header(server.requests.last(), "Authorization"), QByteArray("Bearer tok.en"));
    QCOMPARE(PrometheusSource::displayUrl(QUrl(QStringLiteral("https://u:p@prom:9090/x?y=1"))), QStringLiteral("https://prom:9090/x"));
}

void tst_PrometheusSource::errors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("omitLength");
    QTest::addColumn<QString>("message");

    QTest::newRow("401") << 401 << QByteArray("Unauthorized\n") << false << QStringLiteral("refused the credentials (HTTP 401)");
    QTest::newRow("403") << 403 << QByteArray() << false << QStringLiteral("refused the credentials (HTTP 403)");
    QTest::newRow("400 bad_data") << 400 << QByteArray(R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:6: parse error: unclosed left parenthesis"})")
                                  << false << QStringLiteral("refused the query: invalid parameter \"query\": 1:6: parse error: unclosed left parenthesis (bad_data)");
    QTest::newRow("503 timeout") << 503 << QByteArray(R"({"status":"error","errorType":"timeout","error":"query timed out"})") << false
                                 << QStringLiteral("refused the query: query timed out (timeout)");
    QTest::newRow("502 html") << 502 << QByteArray("<html>bad gateway</html>") << false << QStringLiteral("answered HTTP 502");
    QTest::newRow("garbage") << 200 << QByteArray("\x00\xff garbage", 10) << false << QStringLiteral("something else than its API's JSON");
    QTest::newRow("wrong types") << 200 << QByteArray(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,2]]}]}})") << false
                                 << QStringLiteral("something else than its API's JSON: a sample that is not [time, \"value\"]");
    QTest::newRow("50 MB, announced") << 200 << QByteArray(50 * 1024 * 1024, ' ') << false << QStringLiteral("answered more than 32 MB");
    QTest::newRow("50 MB, not announced") << 200 << QByteArray(50 * 1024 * 1024, ' ') << true << QStringLiteral("answered more than 32 MB");
}

void tst_PrometheusSource::errors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, omitLength);
    QFETCH(QString, message);
    FakePrometheus server;
    server.status = status;
    server.body = body;
    server.omitLength = omitLength;
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    source.setConfig(config);
    QSignalSpy ticks(&source, &PrometheusSource::metricsReady);
    QSignalSpy states(&source, &PrometheusSource::stateChanged);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    QVERIFY(polled.wait(20000));
    QCOMPARE(source.state(), PrometheusSource::State::Failing);
    QVERIFY2(source.statusMessage().contains(message), qPrintable(source.statusMessage()));
    QVERIFY(source.statusMessage().contains(PrometheusSource::displayUrl(server.url())));
    QVERIFY(ticks.isEmpty());
    QCOMPARE(states.size(), 1);

    // It recovers at the next good answer.
    server.status = 200;
    server.body = twoScrapes();
    server.omitLength = false;
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(source.state(), PrometheusSource::State::Ok);
}

void tst_PrometheusSource::timeout()
{
    FakePrometheus server;
    server.hang = true;
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    config.timeoutMs = 300;
    source.setConfig(config);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    source.poll(); // one request at a time: this one is skipped
    QVERIFY(polled.wait(5000));
    QCOMPARE(polled.size(), 1);
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(source.state(), PrometheusSource::State::Failing);
    QVERIFY2(source.statusMessage().contains(QLatin1String("did not answer within 0.3 s")), qPrintable(source.statusMessage()));
}

void tst_PrometheusSource::unreachable()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    source.setConfig(config);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(source.state(), PrometheusSource::State::Failing);
    QVERIFY2(source.statusMessage().contains(QLatin1String("cannot be reached")), qPrintable(source.statusMessage()));
}

void tst_PrometheusSource::sessionManagerSwitchesSource()
{
    // libvirt's test driver: its "test" domain has the UUID of the canned answer's web1.
    const QString uri = QStringLiteral("test:///default");
    FakePrometheus server;
    server.body = twoScrapes();
    Inventory inventory;
    MetricsStore store;
    SessionManager manager(&inventory);
    manager.setMetricsStore(&store);
    manager.setMetricsInterval(1);
    QSignalSpy events(&manager, &SessionManager::eventRecorded);
    PrometheusConfig config;
    config.url = server.url();
    config.targets = PrometheusConfig::parseTargets({QStringLiteral("127.0.0.1:19177=") + uri});
    manager.setPrometheus(config);
    QVERIFY(manager.prometheus());
    QVERIFY(manager.addConnection(uri));
    QTRY_VERIFY_WITH_TIMEOUT(manager.isSettled(), 10000);
    const VmKey web{uri, Uuid1};
    QTRY_COMPARE_WITH_TIMEOUT(store.sampleCount(web), 2, 10000);
    // Three queries later (a second apart) the host still has only the two scrapes' ticks: its
    // session does not poll while Prometheus is selected.
    const qsizetype requests = server.requests.size();
    QTRY_VERIFY_WITH_TIMEOUT(server.requests.size() >= requests + 3, 10000);
    QCOMPARE(store.sampleCount(web), 2);
    QCOMPARE(store.hostSampleCount(uri), 0); // and the libvirt exporter has no host figures
    QCOMPARE(*store.latestValue(web, VmMetric::CpuPercent), 25.0);
    QCOMPARE(manager.prometheus()->matchedTargets().value(QStringLiteral("127.0.0.1:19177")), uri);
    bool logged = false;
    for (const QList<QVariant> &event : std::as_const(events))
        logged = logged || event.first().value<EventRecord>().result.contains(PrometheusSource::displayUrl(server.url()));
    QVERIFY(logged);

    // Back to direct polling: the session's own ticks come again.
    manager.setPrometheus(std::nullopt);
    QVERIFY(!manager.prometheus());
    QTRY_VERIFY_WITH_TIMEOUT(store.hostSampleCount(uri) >= 2, 10000);
}

void tst_PrometheusSource::hostWithoutVmsIsMatched()
{
    // The exporter lists running domains only: a host just evacuated has its libvirt_up series
    // alone. It is still the host's target (matched, said in the state), with no VM figures; one
    // whose exporter cannot read libvirt says so by libvirt_up 0. (Found in the lab: after the
    // evacuation test the emptied host was never matched.)
    FakePrometheus server;
    const QByteArray up = R"({"metric":{"__name__":"libvirt_up","host":"lab-hv2","instance":"127.0.0.1:19178","job":"libvirt","libvirt_uri":"qemu:///h2"},"values":[[1796545692.9,"1"],[1796545693.9,"1"]]})";
    const QByteArray down = R"({"metric":{"__name__":"libvirt_up","instance":"127.0.0.1:19179","job":"libvirt","libvirt_uri":"qemu:///h3"},"values":[[1796545693.9,"0"]]})";
    const QByteArray scrapes = twoScrapes();
    const qsizetype open = scrapes.indexOf('[', scrapes.indexOf("\"result\"")) + 1;
    server.body = QByteArray(scrapes).insert(open, up + ',' + down + ',');
    const QList<ExporterTarget> targets = LibvirtExporterMapping::map(PrometheusResponse::parse(server.body).series);
    QCOMPARE(targets.size(), 3);
    for (const ExporterTarget &t : targets) {
        if (t.instance == QLatin1String("127.0.0.1:19178")) {
            QCOMPARE(t.libvirtUri, QStringLiteral("qemu:///h2"));
            QVERIFY(t.scrapes.isEmpty());
            QCOMPARE(t.libvirtUp, std::optional<bool>(true));
        } else if (t.instance == QLatin1String("127.0.0.1:19179")) {
            QCOMPARE(t.libvirtUp, std::optional<bool>(false));
        } else {
            QCOMPARE(t.scrapes.size(), 2);
            QVERIFY(!t.libvirtUp); // the canned answer has none for it
        }
    }

    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    config.targets.insert(QStringLiteral("127.0.0.1:19177"), QStringLiteral("qemu:///h1"));
    source.setConfig(config);
    source.setHosts({QStringLiteral("qemu:///h1"), QStringLiteral("qemu:///h2"), QStringLiteral("qemu:///h3")});
    QSignalSpy ticks(&source, &PrometheusSource::metricsReady);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    QVERIFY(polled.wait());
    const QHash<QString, QString> matched = source.matchedTargets();
    QCOMPARE(matched.size(), 3);
    QCOMPARE(matched.value(QStringLiteral("127.0.0.1:19178")), QStringLiteral("qemu:///h2"));
    QCOMPARE(matched.value(QStringLiteral("127.0.0.1:19179")), QStringLiteral("qemu:///h3"));
    QCOMPARE(ticks.size(), 2); // h1's two scrapes; nothing for the hosts without VMs
    for (const QList<QVariant> &tick : std::as_const(ticks))
        QCOMPARE(tick.at(0).value<MetricsTick>().hostUri, QStringLiteral("qemu:///h1"));
    QVERIFY2(source.statusMessage().contains(QLatin1String(": 3 host")), qPrintable(source.statusMessage()));
}

void tst_PrometheusSource::nodeMapping()
{
    // The query asks each figure by the node exporter's names, summed per target.
    const QString query = NodeExporterMapping::query();
    for (const QString &name : NodeExporterMapping::metricNames())
        QVERIFY2(query.contains(name), qPrintable(name));
    QVERIFY(query.contains(QLatin1String("by (instance, libvirt_uri)")));

    const PrometheusResponse r = PrometheusResponse::parse(nodeVector({
        {QStringLiteral("10.0.0.5:9100"), QStringLiteral("qemu+ssh://hv5/system"), "1234.5", "8765.25", "8589934592", "6442450944", "1796545698.512"},
        // No scrape time: not placed in time, left out.
        {QStringLiteral("10.0.0.6:9100"), {}, "1", "2", "3", "4", {}},
        // Hostile values: left out, the rest kept.
        {QStringLiteral("10.0.0.7:9100"), {}, "NaN", "-5", "+Inf", "1e300", "1796545698.9"},
    }));
    QVERIFY(r.ok);
    const QList<NodeTarget> targets = NodeExporterMapping::map(r.series);
    QCOMPARE(targets.size(), 1);
    const NodeTarget &t = targets.first();
    QCOMPARE(t.instance, QStringLiteral("10.0.0.5:9100"));
    QCOMPARE(t.libvirtUri, QStringLiteral("qemu+ssh://hv5/system"));
    QCOMPARE(t.stats.wallMs, qint64(1796545698512));
    QCOMPARE(*t.stats.cpuBusyNs, quint64(1'234'500'000'000));
    QCOMPARE(*t.stats.cpuTotalNs, quint64(1'234'500'000'000) + quint64(8'765'250'000'000));
    QCOMPARE(*t.stats.memoryTotalKiB, quint64(8 * 1024 * 1024));
    QCOMPARE(*t.stats.memoryFreeKiB, quint64(6 * 1024 * 1024));

    // A target of hostile values only keeps nothing but its time: not a host figure.
    const QList<NodeTarget> none = NodeExporterMapping::map(PrometheusResponse::parse(nodeVector({
        {QStringLiteral("10.0.0.7:9100"), {}, "NaN", "-5", "+Inf", {}, "1796545698.9"}})).series);
    QVERIFY(none.isEmpty());
}

void tst_PrometheusSource::hostFiguresFromNodeExporter()
{
    // The libvirt exporter on 127.0.0.1:19177 is the host h1 (the table); the node exporter on
    // the same machine, 127.0.0.1:19100, is matched to h1 through it.
    FakePrometheus server;
    server.body = twoScrapes();
    const auto node = [](const QByteArray &busy, const QByteArray &idle, const QByteArray &time) {
        return nodeVector({{QStringLiteral("127.0.0.1:19100"), {}, busy, idle, "8589934592", "6442450944", time}});
    };
    server.nodeBody = node("100", "300", "1796545692.100");
    MetricsStore store;
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    config.targets.insert(QStringLiteral("127.0.0.1:19177"), QStringLiteral("qemu:///h1"));
    source.setConfig(config);
    source.setHosts({QStringLiteral("qemu:///h1")});
    connect(&source, &PrometheusSource::metricsReady, &store, &MetricsStore::appendTick);
    QSignalSpy ticks(&source, &PrometheusSource::metricsReady);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(ticks.size(), 3); // two scrapes of VMs, one of the host
    const auto first = ticks.last().at(0).value<MetricsTick>();
    QCOMPARE(first.hostUri, QStringLiteral("qemu:///h1"));
    QVERIFY(first.hasHost);
    QVERIFY(!first.hasVms);
    QVERIFY(first.vms.isEmpty());
    QCOMPARE(first.timeMs, qint64(1796545692100));
    QCOMPARE(*first.host.value(HostMetric::MemoryTotalKiB), 8.0 * 1024 * 1024);
    QCOMPARE(*first.host.value(HostMetric::MemoryUsedKiB), 2.0 * 1024 * 1024);
    QVERIFY(!first.host.value(HostMetric::CpuPercent)); // a rate needs two scrapes
    QCOMPARE(source.matchedNodes().value(QStringLiteral("127.0.0.1:19100")), QStringLiteral("qemu:///h1"));
    QVERIFY2(!source.statusMessage().contains(QLatin1String("node exporter")), qPrintable(source.statusMessage()));

    // The same scrape again (the query came before the next one): not delivered twice.
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(ticks.size(), 3);

    // 2 s later: 0.5 s busy of 2 s of CPU time (two CPUs for a second... or one for two): 25 %.
    server.nodeBody = node("100.5", "301.5", "1796545694.100");
    source.poll();
    QVERIFY(polled.wait());
    QCOMPARE(ticks.size(), 4);
    const auto second = ticks.last().at(0).value<MetricsTick>();
    QCOMPARE(*second.host.value(HostMetric::CpuPercent), 25.0);
    QCOMPARE(second.intervalMs, 5000); // the configured interval at least: scrapes 2 s apart
    // The store holds the node exporter's two samples only: the VM ticks add no empty one.
    QCOMPARE(store.hostSampleCount(QStringLiteral("qemu:///h1")), 2);
    QCOMPARE(*store.latestHostValue(QStringLiteral("qemu:///h1"), HostMetric::CpuPercent), 25.0);
    QCOMPARE(*store.latestValue({QStringLiteral("qemu:///h1"), Uuid1}, VmMetric::CpuPercent), 25.0);
}

void tst_PrometheusSource::nodeMatching()
{
    FakePrometheus server;
    server.body = matrix({}); // no libvirt exporter
    PrometheusSource source;
    PrometheusSource::Config config;
    config.url = server.url();
    source.setConfig(config);
    QSignalSpy polled(&source, &PrometheusSource::polled);
    const auto matched = [&](const NodeFigures &figures) {
        server.nodeBody = nodeVector({figures});
        source.poll();
        [&] { QVERIFY(polled.wait()); }();
        return source.matchedNodes().value(figures.instance);
    };
    const auto at = [](const QString &instance, const QString &uri = {}) {
        return NodeFigures{instance, uri, "1", "2", "3", "4", "1796545692.1"};
    };
    source.setHosts({QStringLiteral("qemu+ssh://hv5/system"), QStringLiteral("qemu+tls://hv5/system"),
                     QStringLiteral("qemu+ssh://10.0.0.6/system")});
    // The URI's machine: one host on it.
    QCOMPARE(matched(at(QStringLiteral("10.0.0.6:9100"))), QStringLiteral("qemu+ssh://10.0.0.6/system"));
    // Two hosts (two URIs) on the machine: ambiguous, none chosen.
    QCOMPARE(matched(at(QStringLiteral("hv5:9100"))), QString());
    // The label says which.
    QCOMPARE(matched(at(QStringLiteral("hv5:9100"), QStringLiteral("qemu+tls://hv5/system"))), QStringLiteral("qemu+tls://hv5/system"));
    // The configured table first; to a host not connected: nothing, not guessed.
    config.targets.insert(QStringLiteral("hv5:9100"), QStringLiteral("qemu+ssh://hv5/system"));
    source.setConfig(config);
    QCOMPARE(matched(at(QStringLiteral("hv5:9100"), QStringLiteral("qemu+tls://hv5/system"))), QStringLiteral("qemu+ssh://hv5/system"));
    config.targets.insert(QStringLiteral("10.0.0.6:9100"), QStringLiteral("qemu:///gone"));
    source.setConfig(config);
    QCOMPARE(matched(at(QStringLiteral("10.0.0.6:9100"))), QString());
    // Another machine: nothing.
    QCOMPARE(matched(at(QStringLiteral("10.0.0.9:9100"))), QString());
    QVERIFY(source.statusMessage().contains(QLatin1String("no libvirt exporter series")));
}

QTEST_GUILESS_MAIN(tst_PrometheusSource)
#include "tst_prometheussource.moc"
