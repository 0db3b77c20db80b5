// Text normalising for spreadsheet values, headers and names (SPEC §4). Pure functions.

/** Full-width ASCII (U+FF01..U+FF5E) to half-width and the ideographic space to a plain one. */
export function toHalfWidth(s: string): string {
  // Fast path: most cells hold nothing full-width.
  if (!/[\uFF01-\uFF5E\u3000]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

// Zero-width characters and the BOM: invisible, copied in from web pages and Word.
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u180E]/g;
// Whitespace of every kind, including the control characters that are whitespace (tab, CR, LF…).
const ANY_SPACE = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0085]+/g;
// Remaining control characters (C0, DEL, C1): never meaningful in a value.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * Canonical form of a cell value: NFC, invisible characters dropped, full-width ASCII made
 * half-width, every run of whitespace (line breaks in a cell too) one space, trimmed.
 */
export function normaliseText(v: string): string {
  if (typeof v !== 'string') v = v == null ? '' : String(v);
  if (alreadyNormal(v)) return v;
  // NFC folds CJK compatibility ideographs (U+F900..) to their unified forms.
  let s = v.normalize('NFC').replace(ZERO_WIDTH, '');
  s = toHalfWidth(s);
  s = s.replace(ANY_SPACE, ' ').replace(CONTROL, '');
  // Removing a control character may leave two spaces side by side.
  return s.replace(/ {2,}/g, ' ').trim();
}

/**
 * Fast path for the common cell (millions per import): only printable ASCII other than the
 * space, CJK punctuation 、。〃 and CJK unified ideographs. Such text is NFC, has no invisible,
 * full-width, space or control characters, so normaliseText would return it unchanged.
 */
function alreadyNormal(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x4e00 ? c > 0x9fff : c > 0x7e ? c < 0x3001 || c > 0x3003 : c < 0x21) return false;
  }
  return true;
}

const PLACEHOLDERS = new Set(['无', '暂无', '空', '/', '\\', 'n/a', 'null', '#n/a', '無', '暫無']);
// Any run of dashes (hyphen, en/em dash, horizontal bar, box-drawing line) means "nothing".
const ALL_DASHES = /^[-\u2010-\u2015\u2212\u2500\uFE58\uFE63]+$/;

/** A value people write to say "nothing here" (无, —, /, N/A …). */
export function isPlaceholder(v: string): boolean {
  return isNormalisedPlaceholder(normaliseText(v));
}

function isNormalisedPlaceholder(s: string): boolean {
  if (s === '') return false;
  // Every placeholder word is at most four characters; longer values can only be dashes.
  if (s.length > 4 && !isDash(s.charCodeAt(0))) return false;
  return PLACEHOLDERS.has(s.toLowerCase()) || ALL_DASHES.test(s);
}

function isDash(c: number): boolean {
  return c === 0x2d || (c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0x2500 || c === 0xfe58 || c === 0xfe63;
}

/** normaliseText, and '' when the value is only a placeholder. */
export function cleanValue(v: string): string {
  const s = normaliseText(v);
  return isNormalisedPlaceholder(s) ? '' : s;
}

// Traditional → simplified, as pairs "繁简". Covers roster headers, organisation and place names
// and common surnames. Characters that are also ordinary simplified characters with another
// meaning (乾, 著, 瞭, 藉 …) are deliberately left out. No simplified target is itself a key,
// so folding twice changes nothing.
const TRAD_SIMP_PAIRS = `
號号 碼码 電电 話话 黨党 組组 織织 單单 職职 務务 時时 間间 報报 區区 鎮镇 鄉乡 類类 別别
狀状 態态 員员 屬属 稱称 簡简 級级 計计 統统 變变 動动 機机 關关 證证 証证 業业 歷历 曆历 體体
書书 記记 聯联 繫系 係系 數数 長长 積积 內内 會会 團团 總总 與与 經经 濟济 發发 髮发 廣广 東东
門门 開开 風风 學学 習习 實实 際际 現现 國国 華华 們们 個个 箇个 來来 對对 這这 為为 爲为 過过
還还 進进 後后 說说 讓让 從从 當当 將将 應应 點点 問问 題题 見见 覺觉 頭头 義义 兩两 產产 處处
氣气 邊边 師师 專专 則则 給给 論论 車车 條条 場场 無无 結结 構构 設设 備备 據据 議议 選选 標标
準准 質质 規规 劃划 導导 費费 價价 資资 錢钱 銀银 鐵铁 醫医 藥药 療疗 險险 衛卫 環环 紀纪 檢检
監监 審审 認认 識识 誌志 誤误 請请 讀读 談谈 調调 護护 訪访 評评 詳详 語语 謝谢 該该 試试 詢询
講讲 譯译 課课 誰谁 謀谋 諮咨 訓训 託托 許许 訴诉 診诊 註注 詞词 譽誉 譜谱 讚赞 訂订 討讨 訊讯
誠诚 誕诞 詩诗 誦诵 誘诱 諸诸 諒谅 謊谎 謎谜 謙谦 謠谣 謹谨 諾诺 謬谬 諧谐 諺谚 誼谊 詠咏 訛讹
貨货 購购 販贩 貿贸 賬账 貸贷 貢贡 責责 負负 財财 貧贫 貴贵 買买 賣卖 貼贴 賞赏 賢贤 賓宾 賴赖
贊赞 賽赛 貝贝 貞贞 貪贪 貫贯 賀贺 賊贼 賜赐 賠赔 賤贱 賦赋 賭赌 賺赚 贈赠 贏赢 賄贿 賂赂 賃赁
贖赎 贛赣 賈贾 賑赈 貶贬 贓赃
紅红 約约 紋纹 納纳 紐纽 純纯 紗纱 紙纸 紛纷 紡纺 細细 紳绅 紹绍 終终 絕绝 絡络 絲丝 綁绑 綜综
綠绿 維维 綱纲 網网 綿绵 緊紧 緒绪 線线 綫线 締缔 編编 緩缓 練练 緯纬 縣县 縫缝 縮缩 縱纵 績绩
繞绕 繩绳 繪绘 繳缴 繼继 續续 纏缠 纜缆 紮扎 絞绞 綻绽 緝缉 縛缚 繃绷 縷缕 繡绣 纖纤 緞缎 絨绒
綢绸 緻致 紓纾 絢绚 綺绮 綴缀 緣缘 糾纠 紉纫 絳绛 綏绥 繽缤
針针 釘钉 釣钓 鈕钮 鈔钞 鈍钝 鈴铃 鉛铅 鉤钩 銅铜 銘铭 銳锐 銷销 鋒锋 鋪铺 舖铺 鋼钢 錄录 錐锥
錦锦 錫锡 錯错 鍊炼 鍋锅 鍵键 鍾钟 鐘钟 鎖锁 鏈链 鏡镜 鑄铸 鑑鉴 鑒鉴 鑰钥 鑽钻 鑼锣 鈞钧 鈺钰
銓铨 鋁铝 錚铮 鍍镀 鎢钨 鏟铲 鐸铎 鈦钛 鋤锄 鍛锻 鎂镁 鏽锈 鈣钙 鉀钾 鉑铂 鋅锌 錳锰 鎳镍 鐮镰
鑠铄
閃闪 閉闭 閑闲 閒闲 閘闸 閣阁 閥阀 閩闽 閱阅 閻阎 闆板 闊阔 闖闯 闡阐 闢辟 閨闺 闕阙 閔闵 閆闫
悶闷 聞闻 閭闾 閶阊
軌轨 軍军 軒轩 軟软 軸轴 較较 載载 輔辅 輕轻 輛辆 輝辉 輩辈 輪轮 輯辑 輸输 轄辖 轉转 轎轿 轟轰
輿舆 轍辙 陣阵 庫库 連连 運运 揮挥 暈晕 渾浑 軻轲 輥辊 轆辘
馬马 馮冯 馳驰 馴驯 駁驳 駐驻 駕驾 駛驶 駱骆 駿骏 騎骑 騙骗 騰腾 驅驱 驕骄 驗验 驚惊 驛驿 驢驴
驟骤 媽妈 嗎吗 罵骂 騷骚 驊骅 驪骊
飢饥 飯饭 飲饮 飼饲 飽饱 飾饰 餃饺 餅饼 養养 餓饿 餘余 館馆 舘馆 饒饶 饑饥 餵喂 餚肴 饅馒 饋馈
飩饨 餞饯 餡馅 饃馍
鳥鸟 鳳凤 鳴鸣 鴉鸦 鴨鸭 鴻鸿 鵑鹃 鵝鹅 鵬鹏 鶴鹤 鷹鹰 鷺鹭 鸚鹦 雞鸡 鷄鸡 鷗鸥 鴿鸽 鵲鹊 鵡鹉
鶯莺 鷲鹫 鸛鹳
魚鱼 魯鲁 鮮鲜 鯉鲤 鯨鲸 鱗鳞 鰲鳌 鮑鲍 漁渔 鰍鳅
頁页 頂顶 頃顷 項项 順顺 須须 頌颂 預预 頑顽 頒颁 頓顿 領领 頗颇 頰颊 頸颈 頻频 顆颗 額额 顏颜
願愿 顧顾 顯显 顫颤 碩硕 煩烦 頤颐 顛颠 穎颖
覓觅 視视 親亲 覽览 觀观 覲觐 颯飒 颱台 飄飘 颳刮 飛飞
陳陈 凍冻 棟栋 蘭兰 爛烂 欄栏 攔拦
倆俩 倉仓 偉伟 側侧 偵侦 傑杰 傘伞 傳传 債债 傷伤 傾倾 僅仅 僑侨 儀仪 億亿 儉俭 優优 償偿 儲储
兒儿 冊册 凈净 淨净 凱凯 剛刚 創创 剝剥 劇剧 劉刘 劍剑 劑剂 勁劲 勝胜 勞劳 勢势 勵励 勸劝 勻匀
協协 卻却 厲厉 厭厌 參参 叢丛 吳吴 啟启 啓启 喪丧 嘆叹 歎叹 嘗尝 嚐尝 噴喷 嚇吓 嚴严 囑嘱 圍围
園园 圓圆 圖图 執执 堅坚 塊块 塗涂 塢坞 塵尘 墊垫 墜坠 墳坟 壓压 壞坏 壟垄 壩坝 壯壮 壺壶 壽寿
夢梦 夠够 奪夺 奮奋 奧奥 妝妆 婦妇 婁娄 嬌娇 嬰婴 孫孙 寧宁 寫写 寬宽 寶宝 尋寻 屆届 層层 岡冈
崗岗 嶺岭 嶼屿 巖岩 巔巅 帥帅 帳帐 帶带 幣币 幫帮 幹干 幾几 廁厕 廂厢 廚厨 廟庙 廠厂 廢废 廬庐
廳厅 彈弹 強强 彎弯 彙汇 匯汇 徑径 復复 複复 徹彻 恆恒 恥耻 悅悦 惡恶 惱恼 愛爱 慘惨 慚惭
慣惯 慮虑 慶庆 憂忧 憐怜 憑凭 憲宪 憶忆 懇恳 懷怀 懶懒 懸悬 懼惧 戀恋 戰战 戲戏 戶户 拋抛 挾挟
捨舍 掃扫 掙挣 掛挂 採采 揀拣 換换 揚扬 損损 搖摇 搶抢 摯挚 撥拨 撫抚 撲扑 擁拥 擇择 擊击 擋挡
擔担 擠挤 擬拟 擴扩 擺摆 擾扰 攜携 攝摄 攤摊 擡抬 敗败 敘叙 敍叙 敵敌 斂敛 斃毙 斬斩 斷断 於于
晉晋 晝昼 暢畅 暫暂 曉晓 曬晒 朧胧 柵栅 桿杆 棄弃 棧栈 楊杨 楓枫 極极 榮荣 槍枪 樂乐 樓楼 樞枢
樣样 樸朴 樹树 橋桥 橫横 檔档 檯台 臺台 櫃柜 權权 歡欢 歲岁 歸归 殘残 殺杀 殼壳 毀毁 決决 沒没
況况 洶汹 淚泪 淪沦 淺浅 涼凉 減减 渦涡 測测 湊凑 湧涌 湯汤 溝沟 滄沧 滅灭 滬沪 滯滞 滲渗 滾滚
滿满 漢汉 漲涨 漸渐 潔洁 潛潜 潤润 澀涩 澤泽 濁浊 濃浓 濕湿 濤涛 濫滥 濱滨 濰潍 瀋沈 瀏浏 瀝沥
瀟潇 灑洒 灘滩 灣湾 災灾 烏乌 煉炼 煙烟 熱热 燈灯 燒烧 燙烫 營营 燦灿 燭烛 爐炉 爭争 爺爷 牆墙
犧牺 狹狭 猶犹 獄狱 獨独 獲获 穫获 獵猎 獻献 獎奖 奬奖 瑣琐 瓊琼 甕瓮 畝亩 畢毕 畫画 異异
疊叠 瘋疯 盜盗 盡尽 儘尽 盤盘 盧卢 眾众 衆众 睜睁 矯矫 礎础 確确 礙碍 礦矿 祿禄 禍祸 禮礼 禦御
禪禅 種种 稅税 穀谷 穩稳 窮穷 竊窃 競竞 筆笔 箏筝 節节 範范 築筑 簽签 籤签 籃篮 籌筹 籠笼 粵粤
糧粮 罰罚 罷罢 羅罗 翹翘 聖圣 聰聪 聲声 聳耸 聽听 肅肃 脅胁 脈脉 脫脱 腦脑 腳脚 腫肿 腸肠 膚肤
膠胶 膽胆 臉脸 臘腊 臟脏 臨临 興兴 舉举 舊旧 艙舱 艦舰 艱艰 艷艳 豔艳 莊庄 莖茎 萊莱 萬万 葉叶
蒼苍 蓋盖 蓮莲 蔔卜 蔣蒋 蔥葱 蕭萧 薑姜 薦荐 薩萨 藍蓝 藝艺 蘇苏 甦苏 蘆芦 虛虚 虧亏 蝦虾 蟲虫
蟻蚁 蠟蜡 蠻蛮 術术 衝冲 沖冲 補补 裝装 裡里 裏里 製制 褲裤 襯衬 襪袜 襲袭 觸触 豈岂 豎竖 竪竖
豐丰 豬猪 貓猫 趕赶 趙赵 趨趋 跡迹 蹟迹 踐践 蹤踪 躍跃 軀躯 週周 達达 違违 遙遥 遞递 遠远 適适
遲迟 遷迁 遺遗 遼辽 邁迈 邏逻 郵邮 鄒邹 鄧邓 鄭郑 鄰邻 醜丑 醬酱 釀酿 釋释 隊队 階阶 隨随 隱隐
隸隶 隻只 衹只 雖虽 雙双 雛雏 雜杂 離离 難难 雲云 霧雾 靈灵 靜静 韋韦 韓韩 響响 鬆松 鬍胡 鬥斗
鬧闹 鬱郁 麗丽 麥麦 黃黄 黴霉 齊齐 齋斋 齒齿 齡龄 龍龙 龐庞 龔龚 龜龟
嶽岳 峽峡 島岛 崢峥 巒峦 嵐岚 灤滦 潯浔 汙污 湞浈 滎荥 滸浒 澗涧 瀘泸 瀾澜 滷卤 鹵卤 鹼碱 鹽盐
蘊蕴 藹蔼 蘋苹 蘿萝 虜虏 蠶蚕 壇坛 罈坛 墾垦 堯尧 墮堕 歐欧 殲歼 殯殡 氫氢 幟帜 崑昆 崙仑 曄晔
暉晖 曠旷 樺桦 樁桩 橢椭 檸柠 檳槟 櫻樱 欒栾 欖榄 潑泼 澆浇 潰溃 濺溅 瀉泻 瀕濒 灝灏 燁烨 獅狮
瑋玮 瑩莹 璣玑 璽玺 瓏珑 甌瓯 疇畴 皚皑 盞盏 睞睐 瞞瞒 矚瞩 碭砀 磚砖 磯矶 礪砺 禎祯 禱祷 窩窝
窪洼 竇窦 篤笃 簍篓 簾帘 籬篱 聾聋 脛胫 蔭荫 蕪芜 蕎荞 薈荟 薊蓟 薺荠 蘚藓 蝸蜗 螢萤 蟬蝉 袞衮
裊袅 訥讷 詫诧 誣诬 蹌跄 邇迩 醞酝 釐厘 鄖郧 鄲郸 酈郦 郟郏 鄆郓 陘陉 隕陨 雋隽 韜韬 韻韵 骯肮
髏髅 鬢鬓 麩麸 鄺邝 聶聂 溫温 喬乔 譚谭 陸陆 張张 呂吕 淵渊 廈厦 陰阴 陽阳 陝陕 隴陇 辦办
農农 祕秘 纔才 僱雇 傭佣 佈布 佔占 併并 並并 倖幸 偽伪 兇凶 剋克 勳勋 嚮向 噸吨 姪侄 寢寝
屍尸 嶄崭 弔吊 徵征 慾欲 懺忏 捲卷 棲栖 櫥橱 燉炖 爾尔 牀床 癡痴 皺皱 盃杯 睏困 砲炮 箋笺 脣唇
蒐搜 蓆席 覈核 迴回 齣出 麵面 麪面 羣群 峯峰 癢痒 鼕冬 牠它 獃呆
`;

const TRAD_TO_SIMP: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const pair of TRAD_SIMP_PAIRS.split(/\s+/)) {
    if (!pair) continue;
    const [t, s] = Array.from(pair);
    m.set(t, s);
  }
  return m;
})();

/** UTF-16 code units that are (or start) a key of TRAD_TO_SIMP: 1, else 0. */
const TRADITIONAL_UNITS: Uint8Array = (() => {
  const units = new Uint8Array(0x10000);
  for (const key of TRAD_TO_SIMP.keys()) units[key.charCodeAt(0)] = 1;
  return units;
})();

/** The traditional → simplified table (exported for tests and for building alias lists). */
export function traditionalTable(): ReadonlyMap<string, string> {
  return TRAD_TO_SIMP;
}

/** Fold traditional characters to simplified, one character at a time; others pass through. */
export function toSimplified(s: string): string {
  // Fast path: most text has no traditional character at all.
  let i = 0;
  while (i < s.length && !TRADITIONAL_UNITS[s.charCodeAt(i)]) i++;
  if (i === s.length) return s;
  let out = '';
  let changed = false;
  for (const ch of s) {
    const r = TRAD_TO_SIMP.get(ch);
    if (r !== undefined) {
      out += r;
      changed = true;
    } else out += ch;
  }
  return changed ? out : s;
}

// Bracket pairs that wrap a whole name: ( ) [ ] 【 】 〔 〕 〖 〗 《 》 「 」 『 』 (full-width ones are half-width by now).
const WRAPPERS: ReadonlyArray<readonly [string, string]> = [
  ['(', ')'], ['[', ']'], ['【', '】'], ['〔', '〕'], ['〖', '〗'], ['《', '》'], ['「', '」'], ['『', '』'], ['"', '"'], ['“', '”'],
];

function stripWrappingBrackets(s: string): string {
  for (;;) {
    const pair = WRAPPERS.find(([open, close]) => s.length >= 2 && s.startsWith(open) && s.endsWith(close));
    // Only a pair that encloses the whole string: "(A)(B)" is not wrapped.
    if (!pair || !encloses(s, pair[0], pair[1])) return s;
    s = s.slice(pair[0].length, s.length - pair[1].length).trim();
  }
}

function encloses(s: string, open: string, close: string): boolean {
  if (open === close) return true;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === open) depth++;
    else if (s[i] === close) {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return depth === 0;
}

// Longest suffix first so that 社区居民委员会 is not read as …居民委员会.
const COMMUNITY_SUFFIXES: ReadonlyArray<readonly [string, '社区' | '村']> = [
  ['社区居民委员会', '社区'],
  ['社区居委会', '社区'],
  ['社区居委', '社区'],
  ['居民委员会', '社区'],
  ['居委会', '社区'],
  ['村民委员会', '村'],
  ['村委会', '村'],
];

const COMMUNITY_NAME_ENDS = ['社区', '村', '居委会', '村委会', '居民委员会', '村民委员会'];
const BARE_COMMUNITY_WORDS = new Set([...COMMUNITY_NAME_ENDS, '社区居委会', '社区居民委员会', '居委', '村委']);

/** What may stand between a town written before its community and the community: 白沙街道-滨江社区. */
const TOWN_COMMUNITY_SEPARATORS = /^[\s\-—–_/\\·・,，、:：|]+/;

/**
 * A community written together with its town, as registers do (白沙街道滨江社区, 白沙街道-滨江社区,
 * 滨江社区（白沙街道）): the community's name without the town, when one of these town names is
 * written before it or in brackets after it and a name is left; else undefined.
 */
export function communityWithoutTown(name: string, townNames: readonly string[]): string | undefined {
  const s = normaliseText(name);
  // 柳林镇社区 is a community named after its town, not 社区 of 柳林镇.
  const named = (rest: string) => rest.length >= 2 && !BARE_COMMUNITY_WORDS.has(toSimplified(rest));
  for (const town of townNames) {
    const t = normaliseText(town);
    if (t === '') continue;
    if (s.length > t.length && s.startsWith(t)) {
      const rest = s.slice(t.length).replace(TOWN_COMMUNITY_SEPARATORS, '');
      if (named(rest)) return rest;
    }
    for (const [open, close] of [['(', ')'], ['（', '）'], ['[', ']'], ['【', '】']]) {
      const suffix = `${open}${t}${close}`;
      if (s.endsWith(suffix)) {
        const rest = s.slice(0, s.length - suffix.length).trim();
        if (named(rest)) return rest;
      }
    }
  }
  return undefined;
}

/**
 * Canonical community name for matching: XX社区居委会 / XX社区居民委员会 / XX居委会 → XX社区,
 * XX村委会 / XX村民委员会 → XX村. Whitespace is dropped (names have none that matters).
 */
export function communityBaseName(name: string): string {
  let s = toSimplified(normaliseText(name)).replace(/\s+/g, '');
  s = stripWrappingBrackets(s).replace(/\s+/g, '');
  for (const [suffix, base] of COMMUNITY_SUFFIXES) {
    if (s.length > suffix.length && s.endsWith(suffix)) {
      const stem = s.slice(0, s.length - suffix.length);
      // 张家村村委会 → 张家村, not 张家村村.
      return stem.endsWith(base) ? stem : stem + base;
    }
  }
  return s;
}

// What separates communities listed in one cell: a line break (Alt+Enter in Excel) and the
// list punctuation people type (full-width ，；／ too, as the text is not yet normalised).
const COMMUNITY_LIST_SEPARATORS = /[\n\r\u2028\u2029\u0085、,，;；/／]+/;

function endsLikeCommunity(name: string): boolean {
  const s = toSimplified(name);
  return COMMUNITY_NAME_ENDS.some((end) => s.length > end.length && s.endsWith(end));
}

/**
 * The community names one cell lists (an organisation's 结对社区), from the cell's text as read
 * (before normaliseText, which makes a line break a space): split on line breaks and list
 * punctuation, each part cleaned (cleanValue), empty parts and placeholders dropped. A part with
 * spaces is split on them only when every piece ends like a community name (新华社区 白沙社区):
 * a single name with a stray space (新华 社区) stays one.
 */
export function splitCommunityNames(text: string): string[] {
  const names: string[] = [];
  for (const part of text.split(COMMUNITY_LIST_SEPARATORS)) {
    const name = cleanValue(part);
    if (name === '') continue;
    const pieces = name.includes(' ') ? name.split(' ') : [];
    if (pieces.length > 1 && pieces.every(endsLikeCommunity)) names.push(...pieces);
    else names.push(name);
  }
  return names;
}

/** What follows a town's name in how offices write it: 青山街道办事处, 柳林镇人民政府. */
const TOWN_OFFICE_SUFFIXES = ['街道办事处', '街道办', '人民政府', '政府', '办事处'];
const TOWN_KINDS = ['街道', '镇', '乡'] as const;

/**
 * A town's name reduced for matching its variants: the office suffix (办事处, 人民政府…) and the
 * kind (街道, 镇, 乡) taken off: 青山街道办事处 → { stem: 青山, kind: 街道 }, 青山 → { stem: 青山,
 * kind: '' }. A stem shorter than two characters is not reduced (镇 alone names nothing).
 */
export function townStem(name: string): { stem: string; kind: string } {
  const whole = stripWrappingBrackets(nameKey(name)).replace(/\s+/g, '');
  let s = whole;
  const office = TOWN_OFFICE_SUFFIXES.find((suffix) => s.length > suffix.length && s.endsWith(suffix));
  if (office) s = s.slice(0, s.length - office.length);
  // 街道办(事处) carries its kind in the suffix.
  let kind: string = office?.startsWith('街道') ? '街道' : '';
  if (!kind) {
    const found = TOWN_KINDS.find((k) => s.length > k.length && s.endsWith(k));
    if (found) {
      kind = found;
      s = s.slice(0, s.length - found.length);
    }
  }
  return s.length >= 2 ? { stem: s, kind } : { stem: whole, kind: '' };
}

/**
 * Of the towns whose stem is `wanted`'s (townStem), the one it names: the only one whose kind
 * does not differ (青山镇 is not 青山街道: both may exist; a town written without its kind, 青山,
 * differs from none), else the only one of exactly its kind.
 */
export function pickTownVariant<T extends { kind: string }>(candidates: readonly T[], wanted: { kind: string }): T | undefined {
  const compatible = candidates.filter((town) => wanted.kind === '' || town.kind === '' || town.kind === wanted.kind);
  if (compatible.length === 1) return compatible[0];
  const same = wanted.kind === '' ? [] : compatible.filter((town) => town.kind === wanted.kind);
  return same.length === 1 ? same[0] : undefined;
}

/** The one town of `towns` that `name` names: by its whole name (nameKey), else as a variant
 * (pickTownVariant). For listings' options, over a handful of towns; imports keep maps. */
export function findTownByName<T extends { name: string }>(towns: readonly T[], name: string): T | undefined {
  const wanted = nameKey(name);
  const exact = towns.find((town) => nameKey(town.name) === wanted);
  if (exact) return exact;
  const stem = townStem(name);
  const candidates = towns.map((town) => ({ town, ...townStem(town.name) })).filter((c) => c.stem === stem.stem);
  return pickTownVariant(candidates, stem)?.town;
}

/** A name as names are compared: simplified, normalised, without whitespace. */
export function nameKey(name: string): string {
  return toSimplified(normaliseText(name)).replace(/\s+/g, '');
}

const REQUIRED_MARK = /^[*※]+|[*※]+$/g;
const TRAILING_COLON = /[:：]+$/;

/**
 * Key for matching a header cell against aliases: simplified, half-width, no whitespace at all,
 * brackets unified to (), required markers (* ※) and a trailing colon removed, ASCII lower-cased.
 */
export function headerKey(label: string): string {
  let s = labelForm(label);
  // Markers and colons come in either order: "*姓名:", "姓名:*".
  let prev: string;
  do {
    prev = s;
    s = s.replace(TRAILING_COLON, '').replace(REQUIRED_MARK, '');
  } while (s !== prev);
  return s.toLowerCase();
}

/**
 * Key for telling a note, 填报 or signature line by its keywords: as headerKey, but colons are
 * kept (as ':'): a 备注 column header is a header, "备注：" at the bottom starts a note.
 */
export function lineKey(text: string): string {
  return labelForm(text).replace(REQUIRED_MARK, '').toLowerCase();
}

/** Simplified, half-width, no whitespace, brackets unified to (). */
function labelForm(label: string): string {
  const s = toSimplified(normaliseText(label)).replace(/\s+/g, '');
  return s.replace(/[【〔〖\[{]/g, '(').replace(/[】〕〗\]}]/g, ')');
}

/** Levenshtein distance over code points (a CJK character counts as one). */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Array<number>(y.length + 1);
  let cur = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

/** Length of the longest common substring, in code points. */
export function longestCommonSubstring(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let best = 0;
  let prev = new Array<number>(y.length + 1).fill(0);
  let cur = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      cur[j] = x[i - 1] === y[j - 1] ? prev[j - 1] + 1 : 0;
      if (cur[j] > best) best = cur[j];
    }
    [prev, cur] = [cur, prev];
    cur.fill(0);
  }
  return best;
}

function matchForm(s: string): string {
  return toSimplified(normaliseText(s)).replace(/\s+/g, '').toLowerCase();
}

/**
 * Up to n known names closest to `name`, for "did you mean" hints. A candidate qualifies when its
 * edit distance is at most max(2, half the longer length) and it shares something with the name,
 * or when one contains the other (a short name typed for a full one). Ranked by distance less a
 * bonus for the longest shared substring; ties by code-point order, so the output is stable.
 */
export function suggestClosest(name: string, candidates: Iterable<string>, n = 3): string[] {
  const q = matchForm(name);
  const qLen = Array.from(q).length;
  if (qLen === 0 || n <= 0) return [];
  const scored: { c: string; score: number; d: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const f = matchForm(c);
    const fLen = Array.from(f).length;
    if (fLen === 0) continue;
    const d = editDistance(q, f);
    const longer = Math.max(qLen, fLen);
    const common = longestCommonSubstring(q, f);
    const contains = Math.min(qLen, fLen) >= 2 && (f.includes(q) || q.includes(f));
    const close = d <= Math.max(2, Math.floor(longer / 2)) && d < longer;
    if (!close && !contains) continue;
    // Twice the distance minus the shared run: a long shared run outranks a slightly smaller distance.
    scored.push({ c, score: 2 * d - common, d });
  }
  scored.sort((a, b) => a.score - b.score || a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  return scored.slice(0, n).map((s) => s.c);
}

/** Characters that may be a space or the dot of a name (after normaliseText: ．is .). */
const NAME_SPACE_OR_DOT = /[\s·•・‧∙⋅･.]/;
const DOT_BETWEEN_HAN = /(\p{Script=Han})\s*[·•・‧∙⋅･.]\s*(?=\p{Script=Han})/gu;
const SPACE_BETWEEN_HAN = /(\p{Script=Han})\s+(?=\p{Script=Han})/gu;

/**
 * A person's name (already through normaliseText) in one form, so that a roster and a register
 * that write it differently name the same person: spaces between Chinese characters go (张　三,
 * padded to line up with three-character names, is 张三), and the dot of a name such as
 * 买买提·艾力, written ·, •, ・, ‧ or ., is ·. Spaces and dots among Latin letters stay.
 */
export function personName(name: string): string {
  if (!NAME_SPACE_OR_DOT.test(name)) return name;
  return name.replace(DOT_BETWEEN_HAN, '$1·').replace(SPACE_BETWEEN_HAN, '$1');
}
