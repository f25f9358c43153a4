pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Shapes
import Tautband.Models
import Tautband.Ui

// Front or back body view from the atlas (app/anatomy through BodyMapModel):
// the outline, muscle regions (the selected one filled) and risk zones drawn
// over them, the selected muscle's referral pattern, pinch to zoom. A tap reports the view and the normalised point; the owner
// decides what it selects. Width is half the height (the atlas' aspect).
Item {
    id: map
    property BodyMapModel bodyMap: null
    property string view: "back"
    property string selectedRegion: ""
    property real markerX: -1
    property real markerY: -1
    property bool showZones: true
    signal tapped(string view, real x, real y)

    readonly property real drawHeight: Math.min(height, width * 2)
    readonly property real drawWidth: drawHeight / 2
    readonly property real originX: (width - drawWidth) / 2

    function toScreen(points) {
        const out = []
        for (const p of points)
            out.push(Qt.point(map.originX + p.x * map.drawWidth, p.y * map.drawHeight))
        return out
    }
    function zoneColor(kind) {
        if (kind.indexOf("lung") >= 0) return "#66e0393e"
        if (kind.indexOf("eye") >= 0 || kind.indexOf("spinal") >= 0) return "#55e0393e"
        return "#44f2b134"
    }

    clip: true

    // Two fingers zoom (1-4x) and pan; a double tap goes back to the whole body. Taps
    // below land in the canvas's own coordinates, so a zoomed tap selects what is under it.
    Item {
        id: canvas
        objectName: "bodyMapCanvas"
        width: map.width
        height: map.height
        transformOrigin: Item.TopLeft

        PinchHandler {
            objectName: "bodyMapPinch"
            target: canvas
            minimumScale: 1
            maximumScale: 4
            minimumRotation: 0
            maximumRotation: 0
        }

        Shape {
            anchors.fill: parent
            ShapePath {
                strokeColor: Theme.border
                strokeWidth: 2
                fillColor: Theme.surfaceRaised
                PathPolyline { path: map.bodyMap ? map.toScreen(map.bodyMap.outline(map.view)) : [] }
            }
        }

        Repeater {
            model: map.bodyMap ? map.bodyMap.regions(map.view) : []
            delegate: Shape {
                id: regionShape
                required property var modelData
                anchors.fill: parent
                ShapePath {
                    strokeColor: regionShape.modelData.id === map.selectedRegion ? Theme.accent : "#5a7388"
                    strokeWidth: regionShape.modelData.id === map.selectedRegion ? 3 : 1
                    fillColor: regionShape.modelData.id === map.selectedRegion ? "#553fa7d6" : "transparent"
                    PathPolyline { path: map.toScreen(regionShape.modelData.points) }
                }
            }
        }

        // The selected muscle's referral pattern (where its trigger points send pain).
        Repeater {
            model: map.bodyMap && map.selectedRegion !== "" ? map.bodyMap.referralAreas(map.selectedRegion, map.view) : []
            delegate: Shape {
                id: referralShape
                required property var modelData
                objectName: "referral_" + referralShape.modelData.id
                anchors.fill: parent
                ShapePath {
                    strokeColor: Theme.accent
                    strokeWidth: 2
                    strokeStyle: ShapePath.DashLine
                    fillColor: "#333fa7d6"
                    PathPolyline { path: map.toScreen(referralShape.modelData.points) }
                }
            }
        }

        Repeater {
            model: map.bodyMap && map.showZones ? map.bodyMap.zones(map.view) : []
            delegate: Shape {
                id: zoneShape
                required property var modelData
                anchors.fill: parent
                ShapePath {
                    strokeColor: "transparent"
                    fillColor: map.zoneColor(zoneShape.modelData.kind)
                    PathPolyline { path: map.toScreen(zoneShape.modelData.points) }
                }
            }
        }

        Rectangle {
            visible: map.markerX >= 0
            width: 18; height: 18; radius: 9
            x: map.originX + map.markerX * map.drawWidth - 9
            y: map.markerY * map.drawHeight - 9
            color: Theme.accent
            border.color: Theme.text
            border.width: 2
        }

        MouseArea {
            objectName: "bodyMapArea"
            anchors.fill: parent
            onDoubleClicked: {
                canvas.scale = 1
                canvas.x = 0
                canvas.y = 0
            }
            onClicked: mouse => {
                const x = (mouse.x - map.originX) / map.drawWidth
                const y = mouse.y / map.drawHeight
                if (x >= 0 && x <= 1 && y >= 0 && y <= 1)
                    map.tapped(map.view, x, y)
            }
        }
    }
}
