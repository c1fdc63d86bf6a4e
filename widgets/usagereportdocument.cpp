#include "usagereportdocument.h"

#include <QAbstractTextDocumentLayout>
#include <QFileInfo>
#include <QRegularExpression>
#include <QDateTime>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

#include <algorithm>
#include <functional>

namespace Vigie {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

const QPageLayout &a4Layout()
{
    static const QPageLayout layout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(16, 14, 16, 10),
                                    QPageLayout::Millimeter);
    return layout;
}

} // namespace

UsageReportDocument::UsageReportDocument(const UsageReport &report, const QString &scope, const QLocale &locale)
    : m_report(report)
    , m_scope(scope)
    , m_locale(locale)
{
    for (const UsageTenant &tenant : std::as_const(m_report.tenants))
        m_charts.append(dailyChart(m_report, tenant, QSize(1600, 420), m_locale));
    buildHtml();
}

QImage UsageReportDocument::dailyChart(const UsageReport &report, const UsageTenant &tenant, QSize size,
                                       const QLocale &locale)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = p.font();
    font.setPixelSize(size.height() / 16);
    p.setFont(font);
    const QFontMetrics fm(font);
    const qint64 maxCents = std::max<qint64>(1, *std::max_element(tenant.dailyCents.cbegin(), tenant.dailyCents.cend()));
    const QString top = formatUsageMoney(maxCents, report.prices.currency, locale);
    const int left = fm.horizontalAdvance(top) + 16;
    const QRect plot(left, fm.height(), size.width() - left - 10, size.height() - 3 * fm.height());
    p.setPen(QColor(0xcc, 0xcc, 0xcc));
    for (int i = 0; i <= 4; ++i) {
        const int y = plot.bottom() - plot.height() * i / 4;
        p.drawLine(plot.left(), y, plot.right(), y);
    }
    p.setPen(QColor(0x55, 0x55, 0x55));
    p.drawText(QRect(0, plot.top() - fm.height() / 2, left - 8, fm.height()), Qt::AlignRight | Qt::AlignVCenter, top);
    p.drawText(QRect(0, plot.bottom() - fm.height() / 2, left - 8, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
               formatUsageMoney(0, report.prices.currency, locale));
    const qsizetype days = tenant.dailyCents.size();
    if (days == 0)
        return image;
    const double slot = double(plot.width()) / double(days);
    const QColor bar(0x2f, 0x6f, 0xb3);
    for (qsizetype d = 0; d < days; ++d) {
        const double h = double(plot.height()) * double(tenant.dailyCents.at(d)) / double(maxCents);
        p.fillRect(QRectF(plot.left() + d * slot + slot * 0.15, plot.bottom() - h, slot * 0.7, h), bar);
        // A label every few days, the day of the month.
        const qsizetype every = days > 16 ? 5 : 1;
        if (d % every == 0 && d < report.dayStartsMs.size()) {
            const QDate date = QDateTime::fromMSecsSinceEpoch(report.dayStartsMs.at(d)).date();
            p.drawText(QRectF(plot.left() + d * slot - slot, plot.bottom() + 4, 3 * slot, fm.height()), Qt::AlignHCenter,
                       locale.toString(date, QStringLiteral("d MMM")));
        }
    }
    return image;
}

void UsageReportDocument::buildHtml()
{
    const UsageReport &r = m_report;
    const QString currency = esc(r.prices.currency);
    const auto money = [&](qint64 cents) { return esc(formatUsageMoney(cents, r.prices.currency, m_locale)); };
    const auto num = [&](double v) { return esc(m_locale.toString(v, 'f', 1)); };
    const auto micros = [&](Micros m) {
        return esc(m_locale.toString(double(m) / 1e6, 'f', 6).remove(QRegularExpression(QStringLiteral("0{1,4}$")))
                   + u'\u00a0' + r.prices.currency);
    };
    const QDate from = QDateTime::fromMSecsSinceEpoch(r.fromMs).date();
    const QDate to = QDateTime::fromMSecsSinceEpoch(r.toMs - 1).date();
    const QString dateFormat = QStringLiteral("d MMMM yyyy");
    const QString period = tr("%1 to %2").arg(m_locale.toString(from, dateFormat), m_locale.toString(to, dateFormat));
    QString h;
    h += QStringLiteral("<html><body style=\"font-family: 'DejaVu Sans', sans-serif; font-size: 9pt;\">");
    h += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"0\"><tr><td>");
    h += QStringLiteral("<h1 style=\"font-size: 18pt; color: #1f4e79;\">%1</h1>").arg(esc(tr("Usage statement")));
    h += QStringLiteral("<p style=\"font-size: 10pt;\"><b>%1</b> %2</p>").arg(esc(tr("Period:")), esc(period));
    if (!m_scope.isEmpty())
        h += QStringLiteral("<p><b>%1</b> %2</p>").arg(esc(tr("Tenant:")), esc(m_scope));
    h += QStringLiteral("</td><td align=\"right\" valign=\"top\"><p><b>%1</b><br/>%2</p><p style=\"color:#666;\">%3<br/>%4</p></td></tr></table>")
             .arg(esc(tr("Issued by")),
                  esc(r.prices.issuer.isEmpty() ? tr("[Your organisation: set the issuer in Usage › Prices]") : r.prices.issuer),
                  esc(tr("Issued on %1").arg(m_locale.toString(QDate::currentDate(), dateFormat))),
                  esc(tr("Amounts in %1").arg(r.prices.currency)));

    // The price list and the rules.
    h += QStringLiteral("<h2 style=\"font-size: 12pt; color: #1f4e79;\">%1</h2>").arg(esc(tr("Price list")));
    h += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" style=\"border-color: #999;\">");
    const auto priceRow = [&](const QString &what, Micros price) {
        h += QStringLiteral("<tr><td>%1</td><td align=\"right\">%2</td></tr>").arg(esc(what), micros(price));
    };
    priceRow(tr("vCPU-hour allocated"), r.prices.vcpuHour);
    priceRow(tr("GiB-hour of memory allocated"), r.prices.memoryGiBHour);
    priceRow(tr("GiB-hour of disk allocated"), r.prices.diskGiBHour);
    priceRow(tr("GB of network traffic (in and out)"), r.prices.networkGB);
    h += QStringLiteral("</table>");
    h += QStringLiteral("<p style=\"font-size: 7.5pt; color: #555;\">%1</p>")
             .arg(esc(tr("vCPUs and memory are billed while a VM runs, its disks while it exists (running or shut off). "
                         "Figures come from Vigie's hourly history: an hour counts in the period it starts in; a VM that "
                         "moved between hosts is counted once. Each amount is rounded half up to the cent per VM and "
                         "resource; totals are the sums of the rounded amounts. 1 GB = 10^9 bytes, 1 GiB = 2^30 bytes.")));

    // Summary: one row per tenant.
    const QString th = QStringLiteral("<th align=\"%1\" style=\"background-color: #dde8f3;\">%2</th>");
    const auto headers = [&](const QString &first) {
        QString row = QStringLiteral("<tr>") + th.arg(QStringLiteral("left"), esc(first));
        for (const QString &title : {tr("VMs"), tr("vCPU-h"), tr("Memory GiB-h"), tr("Disk GiB-h"), tr("CPU-h used"),
                                     tr("Net in GB"), tr("Net out GB"), tr("Amount")})
            row += th.arg(QStringLiteral("right"), esc(title));
        return row + QStringLiteral("</tr>");
    };
    const auto cells = [&](const QString &name, int vms, const UsageQuantities &q, qint64 cents, bool bold) {
        const QString b = bold ? QStringLiteral("<b>") : QString(), e = bold ? QStringLiteral("</b>") : QString();
        // Names come from outside and may be long: cut, so that the columns keep their room.
        const QString shown = name.size() > 30 ? name.left(29) + u'…' : name;
        QString row = QStringLiteral("<tr><td style=\"white-space: nowrap;\">%1%2%3</td>").arg(b, esc(shown), e);
        for (const QString &v : {vms > 0 ? QString::number(vms) : QString(), num(q.vcpuHours()), num(q.memoryGiBHours()),
                                 num(q.diskGiBHours()), num(q.cpuUsedHours()), num(q.netRxGB()), num(q.netTxGB())})
            row += QStringLiteral("<td align=\"right\" style=\"white-space: nowrap;\">%1</td>").arg(v);
        return row + QStringLiteral("<td align=\"right\" style=\"white-space: nowrap;\">%1%2%3</td></tr>").arg(b, money(cents), e);
    };
    const QString table = QStringLiteral("<table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\" "
                                         "style=\"border-color: #999; font-size: 7.5pt;\">");
    const auto tenantName = [&](const UsageTenant &t) { return t.name.isEmpty() ? tr("(no tenant)") : t.name; };
    h += QStringLiteral("<h2 style=\"font-size: 12pt; color: #1f4e79;\">%1</h2>").arg(esc(tr("Summary")));
    if (r.tenants.isEmpty()) {
        h += QStringLiteral("<p>%1</p>").arg(esc(tr("No usage recorded in this period.")));
    } else {
        h += table + headers(tr("Tenant"));
        for (const UsageTenant &t : r.tenants)
            h += cells(tenantName(t), int(t.vms.size()), t.quantities, t.cost.totalCents(), false);
        h += cells(tr("Total"), r.vmCount, r.quantities, r.cost.totalCents(), true);
        h += QStringLiteral("</table>");
    }

    // Per tenant: totals by resource, VM lines, the daily chart.
    for (qsizetype i = 0; i < r.tenants.size(); ++i) {
        const UsageTenant &t = r.tenants.at(i);
        h += QStringLiteral("<h2 style=\"font-size: 12pt; color: #1f4e79; page-break-before: always;\">%1</h2>")
                 .arg(esc(tr("Tenant %1").arg(tenantName(t))));
        h += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" style=\"border-color: #999;\">");
        const auto costRow = [&](const QString &what, const QString &quantity, qint64 cents) {
            h += QStringLiteral("<tr><td>%1</td><td align=\"right\">%2</td><td align=\"right\">%3</td></tr>")
                     .arg(esc(what), quantity, money(cents));
        };
        costRow(tr("vCPU-hours"), num(t.quantities.vcpuHours()), t.cost.vcpuCents);
        costRow(tr("Memory GiB-hours"), num(t.quantities.memoryGiBHours()), t.cost.memoryCents);
        costRow(tr("Disk GiB-hours"), num(t.quantities.diskGiBHours()), t.cost.diskCents);
        costRow(tr("Network GB (in and out)"), num(t.quantities.netRxGB() + t.quantities.netTxGB()), t.cost.networkCents);
        h += QStringLiteral("<tr><td><b>%1</b></td><td></td><td align=\"right\"><b>%2</b></td></tr></table>")
                 .arg(esc(tr("Total")), money(t.cost.totalCents()));
        h += QStringLiteral("<p><b>%1</b></p>").arg(esc(tr("Daily amount")));
        h += QStringLiteral("<img src=\"chart:%1\" width=\"640\" height=\"168\"/>").arg(i);
        h += QStringLiteral("<p><b>%1</b></p>").arg(esc(tr("Virtual machines")));
        h += table + headers(tr("VM"));
        for (const UsageVmLine &line : t.vms)
            h += cells(line.name, 0, line.quantities, line.cost.totalCents(), false);
        h += cells(tr("Total"), int(t.vms.size()), t.quantities, t.cost.totalCents(), true);
        h += QStringLiteral("</table>");
    }
    h += QStringLiteral("</body></html>");
    m_html = h;
}

void UsageReportDocument::layOut(QTextDocument &doc, QPaintDevice *device, QSizeF content) const
{
    doc.documentLayout()->setPaintDevice(device);
    doc.setDocumentMargin(0);
    for (qsizetype i = 0; i < m_charts.size(); ++i)
        doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart:%1").arg(i)), m_charts.at(i));
    doc.setHtml(m_html);
    doc.setPageSize(content);
}

void UsageReportDocument::paintPages(QPaintDevice *device, QSizeF content, qreal footer, int onlyPage, int *pages,
                                     const std::function<bool()> &newPage) const
{
    QTextDocument doc;
    layOut(doc, device, content);
    const int count = doc.pageCount();
    if (pages)
        *pages = count;
    if (!newPage && onlyPage < 0)
        return;
    QPainter painter(device);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    const QString title = tr("Usage statement");
    for (int page = 0; page < count; ++page) {
        if (onlyPage >= 0 && page != onlyPage)
            continue;
        if (onlyPage < 0 && page > 0 && !newPage())
            return;
        painter.save();
        painter.translate(0, -page * content.height());
        const QRectF clip(0, page * content.height(), content.width(), content.height());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = clip;
        painter.setClipRect(clip);
        doc.documentLayout()->draw(&painter, context);
        painter.restore();
        // The foot: the title and the page number.
        QFont font(QStringLiteral("DejaVu Sans"));
        font.setPointSizeF(7.5);
        painter.setFont(QFont(font, device));
        painter.setPen(QColor(0x66, 0x66, 0x66));
        const QRectF foot(0, content.height() + footer * 0.3, content.width(), footer * 0.7);
        painter.drawLine(QPointF(0, foot.top()), QPointF(content.width(), foot.top()));
        painter.drawText(foot, Qt::AlignLeft | Qt::AlignVCenter, title);
        painter.drawText(foot, Qt::AlignRight | Qt::AlignVCenter, tr("Page %1 of %2").arg(page + 1).arg(count));
    }
}

bool UsageReportDocument::writePdf(const QString &path, QString *error) const
{
    QPdfWriter writer(path);
    writer.setPageLayout(a4Layout());
    writer.setResolution(300);
    writer.setTitle(tr("Usage statement"));
    writer.setCreator(QStringLiteral("Vigie"));
    const QRect paint = writer.pageLayout().paintRectPixels(writer.resolution());
    const qreal footer = writer.resolution() * 0.35; // about 9 mm
    const QSizeF content(paint.width(), paint.height() - footer);
    paintPages(&writer, content, footer, -1, nullptr, [&writer] { return writer.newPage(); });
    if (!QFileInfo::exists(path) || QFileInfo(path).size() == 0) {
        if (error)
            *error = tr("Cannot write %1").arg(path);
        return false;
    }
    return true;
}

int UsageReportDocument::pageCount() const
{
    QImage probe(1, 1, QImage::Format_RGB32);
    const int dpi = 110;
    probe.setDotsPerMeterX(qRound(dpi / 0.0254));
    probe.setDotsPerMeterY(qRound(dpi / 0.0254));
    const QRect paint = a4Layout().paintRectPixels(dpi);
    int pages = 0;
    paintPages(&probe, QSizeF(paint.width(), paint.height() - dpi * 0.35), dpi * 0.35, -1, &pages, {});
    return pages;
}

QImage UsageReportDocument::pageImage(int page, int dpi) const
{
    const QRect full = a4Layout().fullRectPixels(dpi);
    const QRect paint = a4Layout().paintRectPixels(dpi);
    QImage image(full.size(), QImage::Format_RGB32);
    image.fill(Qt::white);
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    // Painted into the margins' inner rectangle, as the PDF writer does.
    QImage inner(paint.size(), QImage::Format_RGB32);
    inner.fill(Qt::white);
    inner.setDotsPerMeterX(image.dotsPerMeterX());
    inner.setDotsPerMeterY(image.dotsPerMeterY());
    const qreal footer = dpi * 0.35;
    paintPages(&inner, QSizeF(paint.width(), paint.height() - footer), footer, page, nullptr, {});
    QPainter p(&image);
    p.drawImage(paint.topLeft(), inner);
    return image;
}

} // namespace Vigie
