#pragma once

#include "metrics/usagereport.h"

#include <QCoreApplication>
#include <QImage>
#include <QLocale>
#include <QString>

#include <functional>

class QPaintDevice;
class QTextDocument;

namespace Vigie {

// A usage report as a customer's statement: title, issuer, period, the price list, the summary of
// every tenant, then per tenant its totals, its VMs' lines and a chart of its daily cost; page
// numbers at the foot of each page. Written as PDF (QPdfWriter, A4), or its first page as an
// image to look at. Names from the outside world are escaped, never read as markup. Its
// language is the application's (French or English).
class UsageReportDocument
{
    Q_DECLARE_TR_FUNCTIONS(Vigie::UsageReportDocument)

public:
    // scope: the tenant the report was restricted to (empty: every tenant).
    UsageReportDocument(const UsageReport &report, const QString &scope, const QLocale &locale = QLocale());

    bool writePdf(const QString &path, QString *error = nullptr) const;
    // Page `page` (from 0) rendered at dpi, white background.
    [[nodiscard]] QImage pageImage(int page, int dpi = 110) const;
    [[nodiscard]] int pageCount() const;
    // The HTML the document is built from (for tests: names escaped).
    [[nodiscard]] QString html() const { return m_html; }

    // A tenant's daily cost as bars, drawn with QPainter (also used by the Usage dialog).
    [[nodiscard]] static QImage dailyChart(const UsageReport &report, const UsageTenant &tenant, QSize size,
                                           const QLocale &locale);

private:
    void buildHtml();
    // A document laid out for device's page (content height excludes the footer).
    void layOut(QTextDocument &doc, QPaintDevice *device, QSizeF content) const;
    void paintPages(QPaintDevice *device, QSizeF content, qreal footer, int onlyPage, int *pages,
                    const std::function<bool()> &newPage) const;

    UsageReport m_report;
    QString m_scope;
    QLocale m_locale;
    QString m_html;
    QList<QImage> m_charts; // per tenant
};

} // namespace Vigie
