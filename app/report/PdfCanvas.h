#pragma once

#include <QColor>
#include <QFont>
#include <QPageSize>
#include <QPainter>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QPdfWriter;

namespace tautband::report {

// Sizes are in typographic points (1/72 in) everywhere in the report code; the
// canvas converts to the PDF writer's device units.

// One table cell: wrapped plain text (never interpreted as markup), or a
// drawing of a fixed height (e.g. an EMG thumbnail).
struct Cell {
  Cell() = default;
  Cell(QString t, bool b = false, QColor c = Qt::black, Qt::Alignment a = Qt::AlignLeft)
      : text(std::move(t)), bold(b), color(std::move(c)), align(a) {}
  QString text;
  bool bold = false;
  QColor color = Qt::black;
  Qt::Alignment align = Qt::AlignLeft;
  std::function<void(QPainter&, const QRectF&)> drawing;  // rect in device units
  double drawingHeightPt = 0;
  QColor background;  // invalid = none
};

struct Table {
  std::vector<double> widths;  // relative column widths
  std::vector<QString> header;
  std::vector<std::vector<Cell>> rows;
  double fontPt = 8;
  bool zebra = true;
  bool grid = true;
};

struct PdfStyle {
  QString family = QStringLiteral("DejaVu Sans");
  QString monoFamily = QStringLiteral("DejaVu Sans Mono");
  QColor accent{0x1f, 0x4e, 0x79};      // headings, rules
  QColor muted{0x55, 0x5b, 0x61};       // labels, footers
  QColor headerFill{0xe4, 0xec, 0xf4};  // table headers
  QColor zebraFill{0xf6, 0xf8, 0xfa};
  QColor warning{0xa1, 0x26, 0x1b};
  double bodyPt = 9.5;
};

struct PageFrame {
  double headerPt = 0;  // space reserved at the top of every page after the first
  double footerPt = 0;  // space reserved at the bottom of every page
  // Draw header/footer; rects in device units; page is 1-based and the total is known.
  std::function<void(QPainter&, const QRectF& header, int page, int pages)> header;
  std::function<void(QPainter&, const QRectF& footer, int page, int pages)> footer;
};

// A flowing page layout on a QPdfWriter: headings, wrapped paragraphs, tables
// whose rows split across pages (header row repeated), fixed-height blocks.
// Text is laid out with QTextLayout (plain text, never HTML), wrapping at word
// boundaries or anywhere when a word is wider than the column, with the
// paragraph direction taken from the text (RTL shows right to left).
class PdfCanvas {
 public:
  PdfCanvas(QPdfWriter& writer, QPainter* painter, const PdfStyle& style, const PageFrame& frame, int pageCount);

  const PdfStyle& style() const { return style_; }
  double dpi() const { return dpi_; }
  double u(double pt) const { return pt * dpi_ / 72.0; }  // points -> device units
  double contentWidthPt() const { return width_ * 72.0 / dpi_; }
  QFont font(double pt, bool bold = false, bool mono = false) const;
  bool drawing() const { return painter_ != nullptr; }
  QPainter* painter() { return painter_; }
  int page() const { return page_; }

  void space(double pt);
  void ensure(double pt);  // a new page unless `pt` still fits
  void newPage();
  // A section heading with a rule under it; kept with at least `keepPt` of what follows.
  void heading(const QString& text, int level = 1, double keepPt = 60);
  void paragraph(const QString& text, double sizePt = 0, bool bold = false, QColor color = Qt::black,
                 double indentPt = 0);
  // Label/value pairs in `columns` columns (a key-value grid without borders).
  void fields(const std::vector<std::pair<QString, QString>>& pairs, int columns = 2, double sizePt = 0,
              double labelWeight = 0.42);
  void table(const Table& table);
  // An unsplittable block (moved to the next page when it does not fit).
  void block(double heightPt, const std::function<void(QPainter&, const QRectF&)>& draw);
  // A coloured box with wrapped text (warnings, call-outs).
  void callout(const QString& text, QColor border, QColor fill, double sizePt = 0, bool bold = false);

  // Runs `build` twice (count pages, then draw), writes the PDF atomically.
  // Returns the number of pages; throws std::runtime_error when it cannot write.
  static int render(const QString& path, const QPageSize& pageSize, const QString& title, const PdfStyle& style,
                    const PageFrame& frame, const std::function<void(PdfCanvas&)>& build);
  static int renderToBytes(QByteArray& out, const QPageSize& pageSize, const QString& title, const PdfStyle& style,
                           const PageFrame& frame, const std::function<void(PdfCanvas&)>& build);

 private:
  struct Laid;  // a laid-out text cell
  std::unique_ptr<Laid> layOut(const QString& text, const QFont& font, double width, Qt::Alignment align,
                               bool breakWords = true) const;
  void startPage(bool first);
  double bottom() const { return bottom_; }
  void drawHeaderRow(const Table& t, const std::vector<double>& xs, const std::vector<double>& ws, double& y);

  QPdfWriter& writer_;
  QPainter* painter_;
  PdfStyle style_;
  PageFrame frame_;
  int pageCount_;
  double dpi_ = 600;
  double left_ = 0, top_ = 0, width_ = 0, bottom_ = 0, pageHeight_ = 0;
  double y_ = 0;
  int page_ = 1;
};

}  // namespace tautband::report
