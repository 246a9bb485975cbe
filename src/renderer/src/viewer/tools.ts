// The session's tools and brush (renderer, Cornerstone): which tool the left button uses in the
// three views and the brush settings, kept across study loads.
import { ToolGroupManager, type Types as ToolTypes } from '@cornerstonejs/tools';
import { activateTool, applyBrushSettings, createToolGroup, type BrushSettings } from './toolGroup';
import { VIEWPORT_IDS, type ToolId } from './toolIds';

export class SessionTools {
  private readonly group: ToolTypes.IToolGroup;
  private tool: ToolId = 'navigate';

  constructor(groupId: string, renderingEngineId: string) {
    this.group = createToolGroup(groupId);
    for (const viewportId of VIEWPORT_IDS) this.group.addViewport(viewportId, renderingEngineId);
  }

  get current(): ToolId {
    return this.tool;
  }

  select(tool: ToolId): void {
    this.tool = tool;
    activateTool(this.group, tool);
  }

  setBrush(settings: BrushSettings): void {
    applyBrushSettings(this.group, settings);
  }

  /** Binds the selected tool again (a newly loaded study's views start unbound). */
  reactivate(): void {
    activateTool(this.group, this.tool);
  }

  destroy(): void {
    ToolGroupManager.destroyToolGroup(this.group.id);
  }
}
