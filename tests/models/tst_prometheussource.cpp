#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "metrics/libvirtexportermapping.h"
#include "metrics/metricsstore.h"
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
                    requests.append(m_buffer.take(socket));
                    if (hang)
                        return;
                    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n";
                    if (!omitLength)
                        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
                    head += "Connection: close\r\n\r\n";
                    socket->write(head);
                    socket->write(body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    [[nodiscard]] QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/prom/").arg(m_server.serverPort())); }

    int status = 200;
    QByteArray body;
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
    QCOMPARE(names.size(), 12);
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

    // The request: GET <prefix>/api/v1/query with the exporter's names, no credentials.
    QCOMPARE(server.requests.size(), 1);
    const QByteArray request = server.requests.first();
    QVERIFY(request.startsWith("GET /prom/api/v1/query?query="));
    const QByteArray target = request.split(' ').at(1);
    const QString query = QUrl::fromPercentEncoding(target.mid(target.indexOf('=') + 1));
    QCOMPARE(query, LibvirtExporterMapping::query(10)); // twice the interval and 5 s, at least 10 s
    QVERIFY(header(request, "Authorization").isEmpty());
    QCOMPARE(header(request, "Accept"), QByteArray("application/json"));
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
    QCOMPARE(server.requests.size(), 2);
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
    QCOMPARE(store.hostSampleCount(uri), 2);
    QCOMPARE(*store.latestValue(web, VmMetric::CpuPercent), 25.0);
    QCOMPARE(manager.prometheus()->matchedTargets().value(QStringLiteral("127.0.0.1:19177")), uri);
    bool logged = false;
    for (const QList<QVariant> &event : std::as_const(events))
        logged = logged || event.first().value<EventRecord>().result.contains(PrometheusSource::displayUrl(server.url()));
    QVERIFY(logged);

    // Back to direct polling: the session's own ticks come again.
    manager.setPrometheus(std::nullopt);
    QVERIFY(!manager.prometheus());
    QTRY_VERIFY_WITH_TIMEOUT(store.hostSampleCount(uri) >= 4, 10000);
}

QTEST_GUILESS_MAIN(tst_PrometheusSource)
#include "tst_prometheussource.moc"
