pragma ComponentBehavior: Bound
import QtQuick
import Tautband.Models
import Tautband.Ui

// The session on its clock, one lane per kind of event, so a therapist sees
// at a glance when needles went in, where the twitches came, when the laser
// ran and where a rule refused or was acknowledged. Tap a lane to read the
// nearest event in words below the strip.
Item {
    id: strip
    property SummaryModel summary: null
    readonly property var items: summary ? summary.timeline : []
    readonly property real spanMs: summary && summary.durationMs > 0 ? summary.durationMs : 1
    readonly property int labelWidth: 96
    readonly property int axisHeight: 22
    readonly property int detailHeight: 26
    property var picked: null

    readonly property var lanes: [
        { key: "needles", title: qsTr("Needles"), kinds: ["needle-in", "needle-out"] },
        { key: "ltr", title: qsTr("LTRs"), kinds: ["ltr"] },
        { key: "laser", title: qsTr("Laser"), kinds: ["laser-on", "laser-off", "estim"] },
        { key: "safety", title: qsTr("Safety"), kinds: ["ack", "approval", "refusal"] },
        { key: "patient", title: qsTr("Pain / AE"), kinds: ["pain", "adverse-event"] }
    ]
    readonly property real laneHeight: (height - axisHeight - detailHeight) / lanes.length
    readonly property real plotWidth: width - labelWidth

    function laneOf(kind) {
        for (let i = 0; i < lanes.length; ++i)
            if (lanes[i].kinds.indexOf(kind) >= 0)
                return i
        return lanes.length - 1
    }
    function xOf(ms) { return labelWidth + Math.max(0, Math.min(1, ms / spanMs)) * plotWidth }
    function colorOf(item) {
        if (item.severity === "danger") return Theme.danger
        if (item.severity === "warning") return Theme.warning
        if (item.kind === "ltr") return Theme.ok
        if (item.kind.indexOf("laser") === 0) return "#c46cf0"
        return Theme.accent
    }
    function tickStepMs() {
        const minutes = spanMs / 60000
        const steps = [1, 2, 5, 10, 15, 30, 60]
        for (let i = 0; i < steps.length; ++i)
            if (minutes / steps[i] <= 8)
                return steps[i] * 60000
        return 120 * 60000
    }
    function pick(x, y) {
        const lane = Math.floor((y - axisHeight) / laneHeight)
        let best = null
        let bestDist = 1e9
        for (let i = 0; i < items.length; ++i) {
            const it = items[i]
            if (laneOf(it.kind) !== lane)
                continue
            const d = Math.abs(xOf(it.clockMs) - x)
            if (d < bestDist) {
                bestDist = d
                best = it
            }
        }
        picked = bestDist < 40 ? best : null
    }

    Rectangle {
        anchors.fill: parent
        color: Theme.background
        radius: Theme.radius
        border.color: Theme.border
    }

    // Clock axis.
    Repeater {
        model: Math.floor(strip.spanMs / strip.tickStepMs()) + 1
        delegate: Item {
            id: tick
            required property int index
            readonly property real ms: index * strip.tickStepMs()
            x: strip.xOf(ms)
            y: 0
            width: 1
            height: strip.height - strip.detailHeight
            Rectangle { width: 1; height: parent.height; color: Theme.border; opacity: 0.6 }
            Text {
                x: 3
                y: 2
                // The last label would run off the strip's right edge.
                visible: strip.xOf(tick.ms) + 60 < strip.width
                text: Math.round(tick.ms / 60000) + " min"
                color: Theme.textMuted
                font.pixelSize: 13
            }
        }
    }

    // Lanes.
    Repeater {
        model: strip.lanes
        delegate: Item {
            id: lane
            required property int index
            required property var modelData
            x: 0
            y: strip.axisHeight + index * strip.laneHeight
            width: strip.width
            height: strip.laneHeight
            Rectangle {
                x: strip.labelWidth
                width: strip.plotWidth
                height: 1
                y: lane.height / 2
                color: Theme.border
            }
            Text {
                x: Theme.spacing / 2
                width: strip.labelWidth - Theme.spacing
                height: lane.height
                verticalAlignment: Text.AlignVCenter
                text: lane.modelData.title
                color: Theme.textMuted
                font.pixelSize: 14
                elide: Text.ElideRight
            }
        }
    }

    // Events: bars for anything with a duration (laser doses, e-stim), ticks otherwise.
    Repeater {
        objectName: "timelineMarks"
        model: strip.items
        delegate: Rectangle {
            required property var modelData
            readonly property int lane: strip.laneOf(modelData.kind)
            readonly property real barWidth: modelData.durationMs > 0
                                             ? Math.max(4, strip.xOf(modelData.clockMs + modelData.durationMs) - strip.xOf(modelData.clockMs))
                                             : 4
            x: strip.xOf(modelData.clockMs) - (modelData.durationMs > 0 ? 0 : 2)
            y: strip.axisHeight + lane * strip.laneHeight + strip.laneHeight * 0.2
            width: barWidth
            height: strip.laneHeight * 0.6
            radius: 2
            color: strip.colorOf(modelData)
            opacity: modelData.kind === "needle-out" || modelData.kind === "laser-off" ? 0.55 : 0.95
            border.color: strip.picked === modelData ? Theme.text : "transparent"
            border.width: 2
        }
    }

    MouseArea {
        objectName: "timelineTouch"
        x: strip.labelWidth
        y: strip.axisHeight
        width: strip.plotWidth
        height: strip.height - strip.axisHeight - strip.detailHeight
        onPressed: mouse => strip.pick(mouse.x + strip.labelWidth, mouse.y + strip.axisHeight)
    }

    Text {
        objectName: "timelineDetail"
        x: Theme.spacing / 2
        y: strip.height - strip.detailHeight
        width: strip.width - Theme.spacing
        height: strip.detailHeight
        verticalAlignment: Text.AlignVCenter
        text: strip.picked ? strip.picked.clock + "  " + strip.picked.text
              : strip.items.length > 0 ? qsTr("%1 events. Tap a lane to read one.").arg(strip.items.length)
              : qsTr("No events on the session clock.")
        textFormat: Text.PlainText
        color: strip.picked ? Theme.text : Theme.textMuted
        font.pixelSize: Theme.fontSmall
        elide: Text.ElideRight
    }
}
