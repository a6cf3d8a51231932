import { describe, expect, it } from 'vitest';
import { guessFields } from '../../src/io/fieldGuess';
import { maskName, maskPhone } from '../../src/domain/privacy';

describe('field guesses', () => {
  it('maps common Chinese roster headers', () => {
    expect(guessFields('households', ['户编号', '楼栋编号', '单元', '房号', '家庭人口', '户主姓名', '联系电话', '经度', '纬度'])).toEqual({
      id: '户编号', building_id: '楼栋编号', unit: '单元', room: '房号', residents: '家庭人口',
      head_name: '户主姓名', phone: '联系电话', lon: '经度', lat: '纬度',
    });
  });

  it('maps pinyin-initial and English grid columns, and prefers exact canonical names', () => {
    expect(guessFields('grids', ['WGBM', 'WGMC', 'SQBM', 'Grid Type'])).toEqual({ code: 'WGBM', name: 'WGMC', community_code: 'SQBM', kind: 'Grid Type' });
    expect(guessFields('buildings', ['id', 'ldbh', 'Address', 'Floors'])).toEqual({ id: 'id', address: 'Address', levels: 'Floors' });
  });

  it('guesses nothing for unknown columns', () => {
    expect(guessFields('households', ['foo', 'bar'])).toEqual({});
  });
});

describe('personal data masks', () => {
  it('masks names and phone numbers', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0536-8881234')).toBe('*******1234');
  });
});
