// Guesses which of a file's columns is which canonical field, from the names Chinese and
// English files commonly use. The user confirms or changes the guess in the mapping step.
// The short names our own Shapefile export writes (DBF names hold 10 bytes: comm_code,
// ded_type, parent, resident, bldg_id — src/io/shapefileWrite.ts) are here too, so a
// re-import maps them back.
import type { LayerName } from './layers';

/** Names seen for each canonical field, lower-case, without spaces, underscores or hyphens. */
const SYNONYMS: Record<LayerName, Record<string, string[]>> = {
  grids: {
    // A polygon layer with no code column: its name serves (the last resort).
    code: ['code', 'gridcode', 'gridid', 'wgbm', 'wgbh', 'wgdm', '网格编码', '网格编号', '网格代码', '编码', 'name', '名称', '网格名称'],
    name: ['name', 'gridname', 'wgmc', '网格名称', '网格名', '名称'],
    kind: ['kind', 'type', 'gridtype', 'wglx', '网格类型', '类型'],
    community_code: ['communitycode', 'commcode', 'sqbm', 'sqdm', 'cunbm', '社区编码', '社区代码', '村编码', '所属社区编码'],
    dedicated_type: ['dedicatedtype', 'dedtype', 'zswglx', '专属网格类型', '专属类型'],
    band_min: ['bandmin', 'minhouseholds', '户数下限', '最少户数'],
    band_max: ['bandmax', 'maxhouseholds', '户数上限', '最多户数'],
    parent_code: ['parentcode', 'parent', '上级网格编码', '上级编码'],
  },
  boundaries: {
    code: ['code', 'adcode', 'xzqdm', 'xzqhdm', '区划代码', '行政区划代码', '编码', '代码', 'name', '名称'],
    name: ['name', 'xzqmc', '名称', '区划名称', '行政区划名称'],
    level: ['level', 'jb', '级别', '层级'],
    parent_code: ['parentcode', 'parent', 'sjdm', '上级代码', '上级编码'],
  },
  buildings: {
    id: ['id', 'buildingid', 'bldgid', 'osmid', 'fid', 'objectid', 'ldbh', 'ldbm', 'jzwbh', '楼栋编号', '楼栋编码', '建筑物编号', '编号', 'name', '名称'],
    address: ['address', 'addr', 'dz', 'mlp', '地址', '楼栋地址', '门牌地址', '标准地址'],
    levels: ['levels', 'floors', 'storeys', 'buildinglevels', 'building:levels', 'cs', 'lc', '层数', '楼层数', '地上层数'],
    height: ['height', 'buildingheight', 'h', 'gd', '高度', '建筑高度', '楼高'],
    residential: ['residential', 'resident', 'isresidential', 'sfzz', '是否住宅', '住宅'],
  },
  households: {
    id: ['id', 'householdid', 'hid', 'hh', 'hbh', '户编号', '户号', '住户编号', '家庭编号'],
    building_id: ['buildingid', 'bldgid', 'ldbh', 'ldbm', '楼栋编号', '楼栋编码', '所属楼栋', '楼栋号'],
    unit: ['unit', 'dy', 'dyh', '单元', '单元号'],
    room: ['room', 'roomno', 'fh', 'fjh', '房号', '房间号', '门牌号', '室'],
    residents: ['residents', 'population', 'persons', 'rks', 'jtrk', '人数', '人口', '人口数', '家庭人口', '户内人数'],
    lon: ['lon', 'lng', 'long', 'longitude', 'x', 'jd', '经度'],
    lat: ['lat', 'latitude', 'y', 'wd', '纬度'],
    head_name: ['headname', 'hzxm', 'hz', '户主', '户主姓名', '姓名', 'name', 'xm'],
    phone: ['phone', 'tel', 'mobile', 'telephone', 'lxdh', 'sjhm', '电话', '联系电话', '手机', '手机号', '手机号码', '电话号码', '固定电话'],
    id_card: ['idcard', 'idno', 'idnumber', 'sfzh', 'sfzhm', '身份证', '身份证号', '身份证号码', '公民身份号码', '证件号码'],
    contact: ['contact', 'contactperson', 'lxr', '联系人', '紧急联系人'],
  },
  cases: {
    service_request_id: ['servicerequestid', 'caseid', 'caseenquiryid', 'requestid', 'ticketid', 'casenumber', 'id', 'sjbh', 'gdh', '事件编号', '工单号', '案件编号', '编号'],
    status: ['status', 'casestatus', 'state', 'zt', 'blzt', '状态', '办理状态', '事件状态'],
    service_name: ['servicename', 'category', 'type', 'casetitle', 'requesttype', 'complainttype', 'sjlb', 'lb', '事件类别', '事件类型', '问题类型', '类别'],
    service_code: ['servicecode', 'categorycode', 'lbbm', '类别编码', '类别代码'],
    requested_datetime: ['requesteddatetime', 'opendt', 'opened', 'opendate', 'createddate', 'createdat', 'reportedat', 'reported', 'sbsj', '上报时间', '受理时间', '发生时间'],
    expected_datetime: ['expecteddatetime', 'slatargetdt', 'targetdt', 'duedate', 'deadline', 'clsx', 'blsx', '办理时限', '截止时间', '应办结时间'],
    updated_datetime: ['updateddatetime', 'updated', 'gxsj', '更新时间'],
    closed_datetime: ['closeddatetime', 'closeddt', 'closeddate', 'closedat', 'bjsj', '办结时间', '结案时间'],
    dispatch_level: ['dispatchlevel', 'level', 'czcj', '处置层级', '分级', '层级'],
    satisfaction: ['satisfaction', 'myd', '满意度', '回访满意度'],
    address: ['address', 'location', 'incidentaddress', 'dz', 'sfdz', '地址', '事发地址', '发生地址'],
    description: ['description', 'ms', 'wtms', '描述', '事件描述', '问题描述'],
    long: ['long', 'lon', 'lng', 'longitude', 'x', 'jd', '经度'],
    lat: ['lat', 'latitude', 'y', 'wd', '纬度'],
    dispatched_datetime: ['dispatcheddatetime', 'pqsj', '派遣时间'],
    handled_datetime: ['handleddatetime', 'czsj', '处置时间'],
    supervised_datetime: ['superviseddatetime', 'hcsj', '核查时间', '督办时间'],
    visited_datetime: ['visiteddatetime', 'hfsj', '回访时间'],
  },
};

const normal = (s: string) => s.toLowerCase().replace(/[\s_\-（）()]/g, '');

/**
 * canonical field → the file's column, for the fields a column's name suggests. A column is
 * used once (but a name standing in for a missing code is the name too); an exact canonical
 * name wins over a synonym.
 */
export function guessFields(layer: LayerName, columns: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  const byNormal = new Map(columns.map((c) => [normal(c), c]));
  for (const [field, names] of Object.entries(SYNONYMS[layer])) {
    const exact = columns.find((c) => c === field);
    const hit = exact ?? names.map((n) => byNormal.get(normal(n))).find((c) => c !== undefined && !used.has(c));
    if (hit && !used.has(hit)) {
      out[field] = hit;
      used.add(hit);
    }
  }
  if (out.code && !out.name && /^(name|名称|网格名称)$/i.test(out.code)) out.name = out.code;
  return out;
}
