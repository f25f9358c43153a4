pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Tautband.Models
import Tautband.Ui

// Per trigger point: muscle and side, needles, LTRs (auto-confirmed, manual,
// rejected) and the laser energy and fluence given there. Numbers as stored.
Item {
    id: table
    property SummaryModel summary: null
    readonly property var rows: summary ? summary.sites : []
    readonly property int rowHeight: 40
    // Column widths as fractions of the table width.
    readonly property var columns: [
        { key: "number", title: "#", share: 0.05 },
        { key: "muscle", title: qsTr("Muscle"), share: 0.24 },
        { key: "side", title: qsTr("Side"), share: 0.08 },
        { key: "needles", title: qsTr("Needles"), share: 0.1 },
        { key: "ltrAuto", title: qsTr("LTR auto"), share: 0.11 },
        { key: "ltrManual", title: qsTr("manual"), share: 0.09 },
        { key: "ltrRejected", title: qsTr("rejected"), share: 0.1 },
        { key: "energy", title: qsTr("Energy"), share: 0.09 },
        { key: "fluence", title: qsTr("Fluence"), share: 0.14 }
    ]
    implicitHeight: rowHeight * (rows.length + 1) + 2

    Rectangle {
        anchors.fill: parent
        color: Theme.background
        radius: Theme.radius
        border.color: Theme.border
    }

    Row {
        id: headerRow
        x: Theme.spacing / 2
        width: table.width - Theme.spacing
        height: table.rowHeight
        Repeater {
            model: table.columns
            delegate: Text {
                required property var modelData
                width: headerRow.width * modelData.share
                height: table.rowHeight
                verticalAlignment: Text.AlignVCenter
                text: modelData.title
                color: Theme.textMuted
                font.pixelSize: 14
                font.bold: true
                elide: Text.ElideRight
            }
        }
    }

    ListView {
        objectName: "siteRows"
        anchors { left: parent.left; right: parent.right; top: headerRow.bottom; bottom: parent.bottom
                  leftMargin: Theme.spacing / 2; rightMargin: Theme.spacing / 2 }
        clip: true
        model: table.rows
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { width: 14 }
        delegate: Row {
            id: row
            required property var modelData
            required property int index
            objectName: "siteRow_" + index
            width: ListView.view.width
            height: table.rowHeight
            Repeater {
                model: table.columns
                delegate: Text {
                    required property var modelData
                    objectName: "cell_" + modelData.key
                    width: row.width * modelData.share
                    height: table.rowHeight
                    verticalAlignment: Text.AlignVCenter
                    text: String(row.modelData[modelData.key])
                    textFormat: Text.PlainText
                    color: modelData.key === "ltrRejected" && row.modelData.ltrRejected > 0 ? Theme.warning : Theme.text
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
            }
        }
    }

    Text {
        anchors.centerIn: parent
        visible: table.rows.length === 0
        text: qsTr("No trigger points in this session.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
}
